/*
 * Cost of crossing the careguard C boundary (not run by CI; figures for the docs):
 *
 *   cargo build --release -p careguard-ffi
 *   gcc -O2 -Iffi/include ffi/benches/call_overhead.c -Ltarget/release -lcareguard_ffi \
 *       -Wl,-rpath,$PWD/target/release -o /tmp/call_overhead && /tmp/call_overhead
 *
 * cg_keyring_sealing_key_id does almost no work (a read lock), so its time is the
 * fixed cost every entry point pays: argument checks, the panic guard and the
 * thread-local last-error update. The scan figures put it next to real work.
 */
#include "careguard.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(void) {
  cg_keyring *ring = NULL;
  uint8_t key[32] = {1};
  if (cg_keyring_new(&ring) != CG_STATUS_OK || cg_keyring_insert(ring, 1, key, 32) != CG_STATUS_OK) {
    return 1;
  }
  bool found = false;
  uint32_t id = 0;
  const int n = 10 * 1000 * 1000;
  double t0 = now_ns();
  for (int i = 0; i < n; i++) {
    if (cg_keyring_sealing_key_id(ring, &found, &id) != CG_STATUS_OK) return 1;
  }
  double guarded = (now_ns() - t0) / n;
  t0 = now_ns();
  for (int i = 0; i < n; i++) {
    if (cg_keyring_sealing_key_id(NULL, &found, &id) != CG_STATUS_NULL_POINTER) return 1;
  }
  double failing = (now_ns() - t0) / n;

  cg_scanner *scanner = NULL;
  if (cg_scanner_new(&scanner) != CG_STATUS_OK) return 1;
  const char *clean = "bed 4 obs stable, for review at 14:00 by the on-call registrar";
  const char *dirty = "Mrs Jane Smith NHS 943 476 5919 bed 4 obs stable";
  const int m = 100 * 1000;
  bool has = false;
  t0 = now_ns();
  for (int i = 0; i < m; i++) cg_scanner_has_findings(scanner, clean, strlen(clean), &has);
  double has_clean = (now_ns() - t0) / m;
  t0 = now_ns();
  for (int i = 0; i < m; i++) {
    cg_findings *f = NULL;
    cg_scanner_scan(scanner, dirty, strlen(dirty), &f);
    cg_findings_free(f);
  }
  double scan_dirty = (now_ns() - t0) / m;

  printf("guarded no-op call (cg_keyring_sealing_key_id): %.1f ns\n", guarded);
  printf("failing call (NULL handle, sets last error):     %.1f ns\n", failing);
  printf("cg_scanner_has_findings, %zu-byte clean text:     %.0f ns\n", strlen(clean), has_clean);
  printf("cg_scanner_scan + cg_findings_free, %zu bytes:     %.0f ns\n", strlen(dirty), scan_dirty);
  cg_scanner_free(scanner);
  cg_keyring_free(ring);
  return 0;
}
