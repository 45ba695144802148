/*
 * C client of the careguard C ABI: calls every function on its success and error
 * paths. scripts/ci.d/30-ffi.sh runs it under valgrind (errors and leaks fail the
 * run) and once built with AddressSanitizer + UndefinedBehaviorSanitizer.
 */
#include "careguard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    checks++;                                                                  \
    if (!(cond)) {                                                             \
      failures++;                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Checks a call's status, and on an expected error that a message was recorded. */
#define EXPECT_STATUS(call, expected)                                           \
  do {                                                                          \
    cg_status got_ = (call);                                                    \
    checks++;                                                                   \
    if (got_ != (expected)) {                                                   \
      failures++;                                                               \
      fprintf(stderr, "%s:%d: %s returned %s (%d), expected %s: %s\n",          \
              __FILE__, __LINE__, #call, cg_status_name((int32_t)got_),         \
              (int)got_, cg_status_name((int32_t)(expected)),                   \
              cg_last_error_message());                                         \
    } else if ((expected) != CG_STATUS_OK) {                                    \
      CHECK(strlen(cg_last_error_message()) > 0);                               \
    } else {                                                                    \
      CHECK(strcmp(cg_last_error_message(), "") == 0);                          \
    }                                                                           \
  } while (0)

static void test_version_and_status_names(void) {
  const char *v = cg_version();
  CHECK(v != NULL && strlen(v) >= 5);
  CHECK(strcmp(cg_status_name(CG_STATUS_OK), "ok") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_NULL_POINTER), "null_pointer") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_INVALID_UTF8), "invalid_utf8") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_INVALID_LENGTH), "invalid_length") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_INVALID_ARGUMENT), "invalid_argument") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_INTERNAL), "internal") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_PANIC), "panic") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_WRONG_KEY), "wrong_key") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_WRONG_PIN), "wrong_pin") == 0);
  CHECK(strcmp(cg_status_name(CG_STATUS_REPLAYED), "replayed") == 0);
  CHECK(strcmp(cg_status_name(-1), "unknown") == 0);
  CHECK(strcmp(cg_status_name(7), "unknown") == 0);
  CHECK(strcmp(cg_status_name(1000000), "unknown") == 0);
}

static void test_buffers_and_keys(void) {
  cg_bytes a = {NULL, 0}, b = {NULL, 0};
  /* Before any failing call the message is empty. */
  CHECK(strcmp(cg_last_error_message(), "") == 0);
  EXPECT_STATUS(cg_key_generate(&a), CG_STATUS_OK);
  EXPECT_STATUS(cg_key_generate(&b), CG_STATUS_OK);
  CHECK(a.len == 32 && a.data != NULL);
  CHECK(b.len == 32 && b.data != NULL);
  CHECK(memcmp(a.data, b.data, 32) != 0);
  EXPECT_STATUS(cg_key_generate(NULL), CG_STATUS_NULL_POINTER);
  CHECK(strstr(cg_last_error_message(), "out") != NULL);
  /* A success clears the message the failure left. */
  cg_bytes_free(&b);
  EXPECT_STATUS(cg_key_generate(&b), CG_STATUS_OK);
  cg_bytes_free(&a);
  CHECK(a.data == NULL && a.len == 0);
  cg_bytes_free(&a);
  cg_bytes_free(&b);
  cg_bytes_free(NULL);
  cg_string_free(NULL);
}

/* The cheapest Argon2 parameters the vault accepts (19 MiB, t = 2): keeps the
   valgrind run short. Apps use cg_kdf_params_default or cg_kdf_params_calibrate. */
static const cg_kdf_params MIN_PARAMS = {19456, 2, 1};
static const uint64_t NOW = 1700000000u;

/* The app's blob storage: a compare-and-swap persist callback over a buffer owned by
   the test, which can fail on demand. `fail_with` set: the callback returns `ret`
   without storing (0 is what a JNA or ctypes callback returns when it throws). */
typedef struct {
  uint8_t data[512];
  size_t len;
  int calls;
  int fail_with;
  int32_t ret;
  pthread_mutex_t mutex;
} store_t;

static void store_init(store_t *store, const uint8_t *blob, size_t len) {
  memset(store, 0, sizeof *store);
  CHECK(pthread_mutex_init(&store->mutex, NULL) == 0);
  memcpy(store->data, blob, len);
  store->len = len;
}

static int32_t persist_to_store(void *context, const uint8_t *expected, size_t expected_len, const uint8_t *blob,
                                size_t len) {
  store_t *store = (store_t *)context;
  int32_t result = CG_PERSIST_STORED;
  pthread_mutex_lock(&store->mutex);
  store->calls++;
  if (store->fail_with || len > sizeof store->data) {
    result = store->fail_with ? store->ret : 5;
  } else if (expected_len != store->len || memcmp(expected, store->data, expected_len) != 0) {
    result = CG_PERSIST_STALE;
  } else {
    memcpy(store->data, blob, len);
    store->len = len;
  }
  pthread_mutex_unlock(&store->mutex);
  return result;
}

/* Reads the stored blob into `out`, as an app reads it before every attempt. */
static size_t reload(store_t *store, uint8_t *out) {
  pthread_mutex_lock(&store->mutex);
  size_t len = store->len;
  memcpy(out, store->data, len);
  pthread_mutex_unlock(&store->mutex);
  return len;
}

static uint32_t stored_failures(store_t *store) {
  uint8_t buf[512];
  size_t len = reload(store, buf);
  cg_blob_status st;
  EXPECT_STATUS(cg_vault_status(buf, len, &st), CG_STATUS_OK);
  return st.failures;
}

static void test_vault(void) {
  cg_kdf_params p;
  EXPECT_STATUS(cg_kdf_params_default(&p), CG_STATUS_OK);
  CHECK(p.m_kib == 65536 && p.t_cost == 3 && p.p_cost == 1);
  EXPECT_STATUS(cg_kdf_params_default(NULL), CG_STATUS_NULL_POINTER);
  /* Calibration runs full-size Argon2 several times: too slow under valgrind, so
     only its error path here (the Python and JVM clients run it for real). */
  EXPECT_STATUS(cg_kdf_params_calibrate(1, 0, NULL), CG_STATUS_NULL_POINTER);

  cg_bytes device = {NULL, 0};
  EXPECT_STATUS(cg_key_generate(&device), CG_STATUS_OK);

  /* create: weak PIN, bad UTF-8, bad device-secret length, weak params, NULL outs */
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("123456", 6, device.data, device.len, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_WEAK_PIN);
  CHECK(vault == NULL && blob.data == NULL);
  EXPECT_STATUS(cg_vault_create("73\xff" "419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_vault_create("730419", 6, device.data, 31, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 5, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_NULL_POINTER);
  cg_kdf_params weak = {1024, 1, 1};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &weak, 300, NOW, &vault, &blob),
                CG_STATUS_PARAMS_TOO_WEAK);
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, NULL, &blob),
                CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_vault_create(NULL, 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_vault_create("730419", 6, device.data, device.len, &MIN_PARAMS, 300, NOW, &vault, &blob),
                CG_STATUS_OK);
  CHECK(vault != NULL && blob.len > 0);

  /* status of a live blob; bad blobs */
  cg_blob_status st;
  EXPECT_STATUS(cg_vault_status(blob.data, blob.len, &st), CG_STATUS_OK);
  CHECK(!st.wiped && st.device_bound && st.failures == 0 && st.params.m_kib == 19456 &&
        st.wipe_reason == CG_WIPE_REASON_NONE);
  EXPECT_STATUS(cg_vault_status(blob.data, 3, &st), CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_vault_status((const uint8_t *)"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                                blob.len, &st),
                CG_STATUS_MALFORMED);
  EXPECT_STATUS(cg_vault_status(blob.data, blob.len, NULL), CG_STATUS_NULL_POINTER);
  /* Argon2 parameters in a blob: below the production floor, or above 1 GiB */
  uint8_t edited[512];
  memcpy(edited, blob.data, blob.len);
  const uint8_t below_floor[4] = {0x00, 0x00, 0x4b, 0xff}; /* 19455 KiB */
  memcpy(edited + 7, below_floor, 4);
  EXPECT_STATUS(cg_vault_status(edited, blob.len, &st), CG_STATUS_PARAMS_TOO_WEAK);
  const uint8_t above_ceiling[4] = {0x00, 0x10, 0x00, 0x01}; /* 1 GiB + 1 KiB */
  memcpy(edited + 7, above_ceiling, 4);
  EXPECT_STATUS(cg_vault_status(edited, blob.len, &st), CG_STATUS_INVALID_ARGUMENT);
  memcpy(edited, blob.data, blob.len);
  edited[14] = 1; /* t_cost 1 */
  EXPECT_STATUS(cg_vault_status(edited, blob.len, &st), CG_STATUS_PARAMS_TOO_WEAK);

  /* idle handling: touch, lock_if_idle, then a lock by idleness */
  bool locked = true;
  uint64_t locks_at = 0;
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 100), CG_STATUS_OK);
  EXPECT_STATUS(cg_vault_lock_if_idle(vault, NOW + 200, &locked, &locks_at), CG_STATUS_OK);
  CHECK(!locked && locks_at == NOW + 400);
  EXPECT_STATUS(cg_vault_lock_if_idle(vault, NOW + 200, NULL, NULL), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_vault_touch(NULL, NOW), CG_STATUS_NULL_POINTER);

  /* wrap / unwrap a secret */
  cg_bytes wrapped = {NULL, 0}, unwrapped = {NULL, 0};
  const char secret[] = "identity private key";
  EXPECT_STATUS(cg_vault_wrap_secret(vault, "id", 2, (const uint8_t *)secret, sizeof secret, NOW + 110, &wrapped),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_vault_unwrap_secret(vault, "id", 2, wrapped.data, wrapped.len, NOW + 120, &unwrapped),
                CG_STATUS_OK);
  CHECK(unwrapped.len == sizeof secret && memcmp(unwrapped.data, secret, sizeof secret) == 0);
  cg_bytes_free(&unwrapped);
  EXPECT_STATUS(cg_vault_unwrap_secret(vault, "other", 5, wrapped.data, wrapped.len, NOW + 120, &unwrapped),
                CG_STATUS_TAMPERED);
  CHECK(unwrapped.data == NULL);
  EXPECT_STATUS(cg_vault_unwrap_secret(vault, "id", 2, wrapped.data, 4, NOW + 120, &unwrapped), CG_STATUS_TRUNCATED);
  char long_label[80];
  memset(long_label, 'a', sizeof long_label);
  EXPECT_STATUS(cg_vault_wrap_secret(vault, long_label, sizeof long_label, (const uint8_t *)secret, 3, NOW + 120,
                                     &unwrapped),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_vault_wrap_secret(vault, "id", 2, NULL, 3, NOW + 120, &unwrapped), CG_STATUS_NULL_POINTER);

  /* change PIN: weak refused; a new blob otherwise */
  cg_bytes new_blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_change_pin(vault, "111111", 6, device.data, device.len, NULL, NOW + 130, &new_blob),
                CG_STATUS_WEAK_PIN);
  EXPECT_STATUS(cg_vault_change_pin(vault, "580207", 6, device.data, device.len, NULL, NOW + 130, &new_blob),
                CG_STATUS_OK);
  CHECK(new_blob.len == blob.len && memcmp(new_blob.data, blob.data, blob.len) != 0);

  /* idle lock: 300 s after the last activity everything fails with VAULT_LOCKED */
  EXPECT_STATUS(cg_vault_lock_if_idle(vault, NOW + 430, &locked, &locks_at), CG_STATUS_OK);
  CHECK(locked && locks_at == 0);
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 431), CG_STATUS_VAULT_LOCKED);
  EXPECT_STATUS(cg_vault_unwrap_secret(vault, "id", 2, wrapped.data, wrapped.len, NOW + 431, &unwrapped),
                CG_STATUS_VAULT_LOCKED);
  cg_vault_free(vault);
  vault = NULL;

  /* unlock with the new PIN: the write-ahead blob reaches the callback first */
  store_t store;
  store_init(&store, new_blob.data, new_blob.len);
  cg_unlock_info info;
  cg_bytes reset = {NULL, 0};
  EXPECT_STATUS(cg_vault_unlock(new_blob.data, new_blob.len, "730419", 6, device.data, device.len, NULL, 300,
                                NOW + 500, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WRONG_PIN);
  CHECK(store.calls == 1 && vault == NULL && reset.data == NULL);
  CHECK(info.failures == 1 && info.remaining == 9 && info.retry_at == 0);
  EXPECT_STATUS(cg_vault_status(store.data, store.len, &st), CG_STATUS_OK);
  CHECK(st.failures == 1 && st.last_attempt_at == NOW + 500);
  /* a blob below the floor is refused before the counter or Argon2 */
  uint8_t weak_blob[512];
  memcpy(weak_blob, new_blob.data, new_blob.len);
  weak_blob[14] = 1;
  int calls_before = store.calls;
  EXPECT_STATUS(cg_vault_unlock(weak_blob, new_blob.len, "580207", 6, device.data, device.len, NULL, 300, NOW + 500,
                                persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_PARAMS_TOO_WEAK);
  CHECK(store.calls == calls_before && vault == NULL);
  /* every attempt starts from the blob as stored now (counter 1, then more) */
  uint8_t persisted[512];
  size_t persisted_len = reload(&store, persisted);
  store.fail_with = 1;
  store.ret = 5;
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, NULL, 300,
                                NOW + 501, persist_to_store, &store, &vault, &reset, NULL),
                CG_STATUS_PERSIST_FAILED);
  store.fail_with = 0;
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, NULL, 0, NULL, 300, NOW + 502,
                                persist_to_store, &store, &vault, &reset, NULL),
                CG_STATUS_DEVICE_SECRET_REQUIRED);
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, NULL, 300,
                                NOW + 503, NULL, NULL, &vault, &reset, NULL),
                CG_STATUS_NULL_POINTER);
  /* a custom policy: no free attempts, 60 s delay: a second try at once is locked out */
  uint64_t delays[1] = {60};
  cg_lockout_policy strict = {0, delays, 1, 3};
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, &strict, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_LOCKED_OUT);
  /* the stored counter is 2 now: the device-secret mistake above was counted too */
  CHECK(info.failures == 2 && info.retry_at == NOW + 562);
  cg_lockout_policy broken = {0, NULL, 1, 3};
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, &broken, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_NULL_POINTER);
  cg_lockout_policy invalid = {0, NULL, 0, 0};
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, &invalid, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_INVALID_ARGUMENT);
  cg_lockout_policy one_strike = {0, NULL, 0, 1};
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, &one_strike, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WIPE_REQUIRED);
  CHECK(info.failures == 2);
  EXPECT_STATUS(cg_vault_unlock(persisted, reload(&store, persisted), "580207", 6, device.data, device.len, NULL, 300,
                                NOW + 505, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_OK);
  CHECK(vault != NULL && reset.len == new_blob.len);
  EXPECT_STATUS(cg_vault_status(reset.data, reset.len, &st), CG_STATUS_OK);
  CHECK(st.failures == 0);
  EXPECT_STATUS(cg_vault_unwrap_secret(vault, "id", 2, wrapped.data, wrapped.len, NOW + 506, &unwrapped),
                CG_STATUS_OK);
  CHECK(unwrapped.len == sizeof secret);
  cg_bytes_free(&unwrapped);
  EXPECT_STATUS(cg_vault_lock(vault), CG_STATUS_OK);
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 507), CG_STATUS_VAULT_LOCKED);
  EXPECT_STATUS(cg_vault_lock(NULL), CG_STATUS_NULL_POINTER);

  /* local wipe: a tombstone that later unlocks report as WIPED */
  cg_bytes tomb = {NULL, 0};
  EXPECT_STATUS(cg_wipe_local(CG_LOCAL_WIPE_REASON_USER_REQUEST, vault, NOW + 600, &tomb), CG_STATUS_OK);
  EXPECT_STATUS(cg_vault_status(tomb.data, tomb.len, &st), CG_STATUS_OK);
  CHECK(st.wiped && st.wipe_reason == CG_WIPE_REASON_USER_REQUEST && st.wiped_at == NOW + 600);
  cg_vault *none = NULL;
  cg_bytes no_blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_unlock(tomb.data, tomb.len, "580207", 6, device.data, device.len, NULL, 300, NOW + 601,
                                persist_to_store, &store, &none, &no_blob, NULL),
                CG_STATUS_WIPED);
  CHECK(none == NULL && no_blob.data == NULL);
  cg_bytes_free(&tomb);
  EXPECT_STATUS(cg_wipe_local(CG_LOCAL_WIPE_REASON_PIN_FAILURES, NULL, NOW, &tomb), CG_STATUS_OK);
  cg_bytes_free(&tomb);
  EXPECT_STATUS(cg_wipe_local(99, NULL, NOW, &tomb), CG_STATUS_INVALID_ARGUMENT);
  CHECK(tomb.data == NULL);
  EXPECT_STATUS(cg_wipe_local(CG_LOCAL_WIPE_REASON_USER_REQUEST, NULL, NOW, NULL), CG_STATUS_NULL_POINTER);

  cg_vault_free(vault);
  cg_vault_free(NULL);
  cg_bytes_free(&reset);
  cg_bytes_free(&new_blob);
  cg_bytes_free(&wrapped);
  cg_bytes_free(&blob);
  cg_bytes_free(&device);
}

/* Issue 13: a persist callback that fails in any way (0 is what a throwing JNA or
   ctypes callback returns) never lets the PIN be checked; a stale blob never gets a
   free guess; attempts that race on one stored blob each count. */
typedef struct {
  store_t *store;
  const uint8_t *snapshot;
  size_t snapshot_len;
  cg_status status;
} racer_t;

static void *racer(void *arg) {
  racer_t *r = (racer_t *)arg;
  cg_vault *vault = NULL;
  cg_bytes reset = {NULL, 0};
  r->status = cg_vault_unlock(r->snapshot, r->snapshot_len, "111111", 6, NULL, 0, NULL, 300, NOW,
                              persist_to_store, r->store, &vault, &reset, NULL);
  cg_vault_free(vault);
  cg_bytes_free(&reset);
  return NULL;
}

static void test_vault_persistence(void) {
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0}, reset = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  cg_vault_free(vault);
  vault = NULL;
  store_t store;
  store_init(&store, blob.data, blob.len);
  uint8_t cur[512];
  cg_unlock_info info;

  /* fail closed: the CORRECT pin does not unlock while the store fails */
  const int32_t broken_returns[] = {0, 1, -1, CG_PERSIST_STORED - 1, CG_PERSIST_STORED + 1};
  store.fail_with = 1;
  for (size_t i = 0; i < sizeof broken_returns / sizeof broken_returns[0]; i++) {
    store.ret = broken_returns[i];
    EXPECT_STATUS(cg_vault_unlock(cur, reload(&store, cur), "730419", 6, NULL, 0, NULL, 300, NOW, persist_to_store,
                                  &store, &vault, &reset, &info),
                  CG_STATUS_PERSIST_FAILED);
    CHECK(vault == NULL && reset.data == NULL && info.failures == 0);
  }
  store.fail_with = 0;
  CHECK(stored_failures(&store) == 0);

  /* a blob cached at start-up: the first attempt counts, the next 50 (right PIN
     included) are refused before the PIN check */
  uint8_t cached[512];
  size_t cached_len = reload(&store, cached);
  EXPECT_STATUS(cg_vault_unlock(cached, cached_len, "111111", 6, NULL, 0, NULL, 300, NOW, persist_to_store, &store,
                                &vault, &reset, &info),
                CG_STATUS_WRONG_PIN);
  for (int i = 0; i < 50; i++) {
    EXPECT_STATUS(cg_vault_unlock(cached, cached_len, i % 2 ? "730419" : "111111", 6, NULL, 0, NULL, 300,
                                  NOW + (uint64_t)i, persist_to_store, &store, &vault, &reset, &info),
                  CG_STATUS_STALE_BLOB);
    CHECK(vault == NULL && reset.data == NULL);
  }
  CHECK(stored_failures(&store) == 1);

  /* attempts racing from one stored blob: exactly one is counted (and checked) */
  uint8_t snapshot[512];
  size_t snapshot_len = reload(&store, snapshot);
  racer_t racers[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    racers[i] = (racer_t){&store, snapshot, snapshot_len, CG_STATUS_OK};
    CHECK(pthread_create(&threads[i], NULL, racer, &racers[i]) == 0);
  }
  int counted = 0, stale = 0;
  for (int i = 0; i < 4; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    counted += racers[i].status == CG_STATUS_WRONG_PIN;
    stale += racers[i].status == CG_STATUS_STALE_BLOB;
  }
  CHECK(counted == 1 && stale == 3);
  CHECK(stored_failures(&store) == 2);

  /* fresh reads each count, up to the wipe; then not even the right PIN is tried */
  cg_lockout_policy three = {3, NULL, 0, 3};
  EXPECT_STATUS(cg_vault_unlock(cur, reload(&store, cur), "111111", 6, NULL, 0, &three, 300, NOW + 60,
                                persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WIPE_REQUIRED);
  CHECK(info.failures == 3);
  EXPECT_STATUS(cg_vault_unlock(cur, reload(&store, cur), "730419", 6, NULL, 0, &three, 300, NOW + 61,
                                persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WIPE_REQUIRED);
  CHECK(vault == NULL && stored_failures(&store) == 3);
  pthread_mutex_destroy(&store.mutex);
  cg_bytes_free(&blob);
}

/* Issue 13: keys from a vault die with it (lock, idle lock, verified remote wipe). */
static void test_vault_key_lifetime(void) {
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0}, sealed = {NULL, 0}, opened = {NULL, 0};
  cg_keyring *ring = NULL;
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 1, NOW), CG_STATUS_OK);
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"bed 4", 5, NULL, 0, NULL, 0, NULL, NOW, &sealed),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, NULL, 0, NULL, 0, NOW, &opened, NULL), CG_STATUS_OK);
  cg_bytes_free(&opened);
  EXPECT_STATUS(cg_vault_lock(vault), CG_STATUS_OK);
  cg_bytes again = {NULL, 0};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"bed 4", 5, NULL, 0, NULL, 0, NULL, NOW, &again),
                CG_STATUS_KEY_REVOKED);
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, NULL, 0, NULL, 0, NOW, &opened, NULL),
                CG_STATUS_KEY_REVOKED);
  CHECK(again.data == NULL && opened.data == NULL);
  cg_vault_free(vault);
  cg_keyring_free(ring);

  /* idle lock */
  cg_bytes_free(&blob);
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 1, NOW), CG_STATUS_OK);
  bool locked = false;
  EXPECT_STATUS(cg_vault_lock_if_idle(vault, NOW + 300, &locked, NULL), CG_STATUS_OK);
  CHECK(locked);
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"bed 4", 5, NULL, 0, NULL, 0, NULL, NOW, &again),
                CG_STATUS_KEY_REVOKED);
  cg_vault_free(vault);
  cg_keyring_free(ring);
  cg_bytes_free(&sealed);

  /* a verified remote wipe */
  uint8_t seed[32];
  memset(seed, 9, sizeof seed);
  cg_bytes pk = {NULL, 0}, order = {NULL, 0}, tomb = {NULL, 0};
  EXPECT_STATUS(cg_wipe_org_public_key(seed, sizeof seed, &pk), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_order_sign((const uint8_t *)"device-9", 8, 77, 1, NOW, seed, sizeof seed, &order), CG_STATUS_OK);
  cg_bytes_free(&blob);
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 1, NOW), CG_STATUS_OK);
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"bed 4", 5, NULL, 0, NULL, 0, NULL, NOW, &sealed),
                CG_STATUS_OK);
  uint64_t counter = 0;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-9", 8,
                                           77, NULL, vault, NOW + 1, &tomb, &counter),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, NULL, 0, NULL, 0, NOW + 2, &opened, NULL),
                CG_STATUS_KEY_REVOKED);
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"bed 4", 5, NULL, 0, NULL, 0, NULL, NOW + 2, &again),
                CG_STATUS_KEY_REVOKED);
  cg_vault_free(vault);
  cg_keyring_free(ring);
  cg_bytes_free(&sealed);
  cg_bytes_free(&tomb);
  cg_bytes_free(&order);
  cg_bytes_free(&pk);
  cg_bytes_free(&blob);
}

static void test_remote_wipe(void) {
  const uint64_t enrolment = 0x0123456789abcdefULL; /* this enrolment's epoch */
  uint8_t seed[32];
  memset(seed, 7, sizeof seed);
  cg_bytes pk = {NULL, 0}, order = {NULL, 0}, tomb = {NULL, 0};
  EXPECT_STATUS(cg_wipe_org_public_key(seed, sizeof seed, &pk), CG_STATUS_OK);
  CHECK(pk.len == 32);
  cg_bytes_free(&pk);
  EXPECT_STATUS(cg_wipe_org_public_key(seed, 31, &pk), CG_STATUS_INVALID_LENGTH);
  CHECK(pk.data == NULL);
  EXPECT_STATUS(cg_wipe_org_public_key(seed, sizeof seed, &pk), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_order_sign((const uint8_t *)"device-1", 8, enrolment, 5, NOW, seed, sizeof seed, &order), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_order_sign(NULL, 0, enrolment, 5, NOW, seed, sizeof seed, &tomb), CG_STATUS_INVALID_LENGTH);

  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  uint64_t counter = 0, last = 5;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-2", 8, enrolment,
                                           NULL, vault, NOW, &tomb, &counter),
                CG_STATUS_WRONG_DEVICE);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8, enrolment,
                                           &last, vault, NOW, &tomb, &counter),
                CG_STATUS_REPLAYED);
  /* an order for an earlier enrolment of this device id (replayed after an app reset) */
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8,
                                           enrolment + 1, NULL, vault, NOW, &tomb, &counter),
                CG_STATUS_WRONG_ENROLMENT);
  order.data[order.len - 1] ^= 1;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8, enrolment,
                                           NULL, vault, NOW, &tomb, &counter),
                CG_STATUS_BAD_SIGNATURE);
  order.data[order.len - 1] ^= 1;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, 10, pk.data, pk.len, (const uint8_t *)"device-1", 8, enrolment, NULL,
                                           vault, NOW, &tomb, &counter),
                CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, 3, (const uint8_t *)"device-1", 8, enrolment, NULL,
                                           vault, NOW, &tomb, &counter),
                CG_STATUS_INVALID_LENGTH);
  /* nothing was wiped by the refused orders */
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 1), CG_STATUS_OK);
  last = 4;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8, enrolment,
                                           &last, vault, NOW + 2, &tomb, &counter),
                CG_STATUS_OK);
  CHECK(counter == 5 && tomb.len > 0);
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 3), CG_STATUS_VAULT_LOCKED);
  cg_blob_status st;
  EXPECT_STATUS(cg_vault_status(tomb.data, tomb.len, &st), CG_STATUS_OK);
  CHECK(st.wiped && st.wipe_reason == CG_WIPE_REASON_REMOTE_ORDER);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8, enrolment,
                                           NULL, NULL, NOW, NULL, &counter),
                CG_STATUS_NULL_POINTER);
  cg_vault_free(vault);
  cg_bytes_free(&blob);
  cg_bytes_free(&tomb);
  cg_bytes_free(&order);
  cg_bytes_free(&pk);
}

static void test_envelope(void) {
  cg_keyring *ring = NULL;
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_new(NULL), CG_STATUS_NULL_POINTER);
  bool found = true;
  uint32_t id = 99;
  EXPECT_STATUS(cg_keyring_sealing_key_id(ring, &found, &id), CG_STATUS_OK);
  CHECK(!found && id == 0);

  const uint8_t conv[] = "ward-7-handover";
  const uint8_t sender[] = "dr.jones@nhs.net";
  const char msg[] = "bed 4 obs stable";
  cg_bytes sealed = {NULL, 0}, opened = {NULL, 0};
  /* empty ring cannot seal */
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), conv, sizeof conv - 1, sender,
                                 sizeof sender - 1, NULL, NOW, &sealed),
                CG_STATUS_INVALID_ARGUMENT);

  uint8_t k1[32], k2[32];
  memset(k1, 1, sizeof k1);
  memset(k2, 2, sizeof k2);
  EXPECT_STATUS(cg_keyring_insert(ring, 1, k1, sizeof k1), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert(ring, 1, k2, sizeof k2), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_keyring_insert(ring, 2, k2, 16), CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_keyring_insert(NULL, 2, k2, sizeof k2), CG_STATUS_NULL_POINTER);
  uint32_t derived = 0, derived2 = 0;
  EXPECT_STATUS(cg_key_id_derive(k1, sizeof k1, &derived), CG_STATUS_OK);
  EXPECT_STATUS(cg_key_id_derive(k1, sizeof k1, &derived2), CG_STATUS_OK);
  CHECK(derived == derived2);
  EXPECT_STATUS(cg_key_id_derive(k1, 5, &derived), CG_STATUS_INVALID_LENGTH);

  cg_seal_options opts = {"text/plain", 10, NOW + 3600, true};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), conv, sizeof conv - 1, sender,
                                 sizeof sender - 1, &opts, NOW, &sealed),
                CG_STATUS_OK);
  CHECK(sealed.len > 256); /* padded */
  cg_envelope_info info;
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, conv, sizeof conv - 1, sender, sizeof sender - 1,
                                 NOW + 60, &opened, &info),
                CG_STATUS_OK);
  CHECK(opened.len == strlen(msg) && memcmp(opened.data, msg, opened.len) == 0);
  CHECK(info.created_at == NOW && info.expires_at == NOW + 3600 && info.padded &&
        strcmp(info.content_type, "text/plain") == 0);
  cg_bytes_free(&opened);

  /* every open failure */
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, conv, sizeof conv - 1, sender, sizeof sender - 1,
                                 NOW + 3600, &opened, NULL),
                CG_STATUS_EXPIRED);
  CHECK(opened.data == NULL);
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, (const uint8_t *)"elsewhere", 9, sender,
                                 sizeof sender - 1, NOW, &opened, NULL),
                CG_STATUS_WRONG_BINDING);
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, 10, conv, sizeof conv - 1, sender, sizeof sender - 1, NOW,
                                 &opened, NULL),
                CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_envelope_open(ring, (const uint8_t *)"not an envelope at all, not at all", 34, conv,
                                 sizeof conv - 1, sender, sizeof sender - 1, NOW, &opened, NULL),
                CG_STATUS_MALFORMED);
  sealed.data[sealed.len - 1] ^= 1;
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, conv, sizeof conv - 1, sender, sizeof sender - 1,
                                 NOW, &opened, NULL),
                CG_STATUS_TAMPERED);
  sealed.data[sealed.len - 1] ^= 1;
  EXPECT_STATUS(cg_envelope_open(ring, sealed.data, sealed.len, conv, sizeof conv - 1, sender, sizeof sender - 1,
                                 NOW, NULL, NULL),
                CG_STATUS_NULL_POINTER);

  /* seal misuse: bad content type, expiry in the past, invalid UTF-8 content type */
  cg_bytes_free(&sealed);
  cg_seal_options bad_type = {"bad type\n", 9, 0, true};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, &bad_type, NOW, &sealed),
                CG_STATUS_INVALID_ARGUMENT);
  CHECK(sealed.data == NULL);
  cg_seal_options past = {NULL, 0, NOW - 1, false};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, &past, NOW, &sealed),
                CG_STATUS_INVALID_ARGUMENT);
  cg_seal_options bad_utf8 = {"\xc3", 1, 0, false};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, &bad_utf8, NOW, &sealed),
                CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_envelope_seal(ring, NULL, 5, NULL, 0, NULL, 0, NULL, NOW, &sealed), CG_STATUS_NULL_POINTER);

  /* rotation: key 2 seals; removing key 1 makes key-1 envelopes WRONG_KEY */
  cg_bytes old = {NULL, 0};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, NULL, NOW, &old),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert(ring, 2, k2, sizeof k2), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_sealing_key_id(ring, &found, &id), CG_STATUS_OK);
  CHECK(found && id == 2);
  EXPECT_STATUS(cg_keyring_sealing_key_id(ring, NULL, &id), CG_STATUS_NULL_POINTER);
  bool removed = false;
  EXPECT_STATUS(cg_keyring_remove(ring, 1, &removed), CG_STATUS_OK);
  CHECK(removed);
  EXPECT_STATUS(cg_keyring_remove(ring, 1, &removed), CG_STATUS_OK);
  CHECK(!removed);
  EXPECT_STATUS(cg_keyring_remove(ring, 1, NULL), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_remove(NULL, 1, NULL), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_envelope_open(ring, old.data, old.len, NULL, 0, NULL, 0, NOW, &opened, NULL), CG_STATUS_WRONG_KEY);

  /* a vault-derived key: only while the vault is unlocked; it never leaves careguard */
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 7, NOW + 1), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 7, NOW + 1), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_keyring_sealing_key_id(ring, &found, &id), CG_STATUS_OK);
  CHECK(found && id == 7);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, vault, 8, NOW + 1000), CG_STATUS_VAULT_LOCKED);
  EXPECT_STATUS(cg_keyring_insert_vault_kek(ring, NULL, 8, NOW), CG_STATUS_NULL_POINTER);

  cg_vault_free(vault);
  cg_bytes_free(&blob);
  cg_bytes_free(&old);
  cg_bytes_free(&sealed);
  cg_keyring_free(ring);
  cg_keyring_free(NULL);
}

static void test_detect_and_policy(void) {
  cg_scanner *scanner = NULL;
  EXPECT_STATUS(cg_scanner_new(&scanner), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_new(NULL), CG_STATUS_NULL_POINTER);

  /* "Pt Zoë" puts a 2-byte, 1-code-unit letter before the number, and the emoji a
     4-byte, 2-code-unit one, so UTF-8 and UTF-16 offsets differ. */
  const char text[] = "Zo\xc3\xab \xf0\x9f\x91\x8d NHS 943 476 5919 call 07700 900123";
  size_t text_len = strlen(text);
  cg_findings *findings = NULL;
  EXPECT_STATUS(cg_scanner_scan(scanner, text, text_len, &findings), CG_STATUS_OK);
  size_t n = 0;
  EXPECT_STATUS(cg_findings_len(findings, &n), CG_STATUS_OK);
  CHECK(n >= 2);
  int saw_nhs = 0, saw_phone = 0;
  for (size_t i = 0; i < n; i++) {
    cg_finding f;
    EXPECT_STATUS(cg_findings_get(findings, i, &f), CG_STATUS_OK);
    CHECK(f.start < f.end && f.end <= text_len);
    CHECK(f.start_utf16 < f.end_utf16 && f.start_utf16 <= f.start);
    CHECK(f.confidence > 0.0f && f.confidence <= 1.0f);
    CHECK(f.rule != NULL && strlen(f.rule) > 0);
    CHECK(f.subject != NULL);
    if (strcmp(f.kind, "person_name") != 0) {
      CHECK(strcmp(f.subject, "unknown") == 0);
    }
    if (strcmp(f.kind, "nhs_number") == 0) {
      saw_nhs = 1;
      CHECK(strncmp(text + f.start, "943 476 5919", f.end - f.start) == 0);
      /* bytes before: "Zoë " (5) + emoji (4) + " NHS " (5) = 14; UTF-16: 4 + 2 + 5 = 11 */
      CHECK(f.start == 14 && f.start_utf16 == 11);
      CHECK(f.end - f.start == f.end_utf16 - f.start_utf16);
    }
    if (strcmp(f.kind, "phone_number") == 0) {
      saw_phone = 1;
    }
  }
  CHECK(saw_nhs && saw_phone);
  cg_finding f;
  EXPECT_STATUS(cg_findings_get(findings, n, &f), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_findings_get(findings, 0, NULL), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_findings_len(NULL, &n), CG_STATUS_NULL_POINTER);

  bool has = false;
  EXPECT_STATUS(cg_scanner_has_findings(scanner, text, text_len, &has), CG_STATUS_OK);
  CHECK(has);
  EXPECT_STATUS(cg_scanner_has_findings(scanner, "bed 4 obs stable", 16, &has), CG_STATUS_OK);
  CHECK(!has);
  EXPECT_STATUS(cg_scanner_has_findings(scanner, "\xff", 1, &has), CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_scanner_has_findings(NULL, "x", 1, &has), CG_STATUS_NULL_POINTER);

  char *minimised = NULL;
  EXPECT_STATUS(cg_scanner_minimise(scanner, text, text_len, &minimised), CG_STATUS_OK);
  CHECK(minimised != NULL && strstr(minimised, "[NHS number]") != NULL && strstr(minimised, "5919") == NULL);
  cg_string_free(minimised);
  minimised = NULL;
  EXPECT_STATUS(cg_scanner_minimise(scanner, "a\0b", 3, &minimised), CG_STATUS_INVALID_ARGUMENT);
  CHECK(minimised == NULL);
  EXPECT_STATUS(cg_scanner_minimise(scanner, NULL, 4, &minimised), CG_STATUS_NULL_POINTER);
  /* scanning accepts NUL bytes (only text results cannot carry them) */
  cg_findings *nul_findings = NULL;
  EXPECT_STATUS(cg_scanner_scan(scanner, "a\0b", 3, &nul_findings), CG_STATUS_OK);
  cg_findings_free(nul_findings);

  /* policy: a social group blocks, an approved clinical chat warns on high-risk ids */
  cg_policy_context social = {CG_CONVERSATION_SOCIAL, true, false, NULL, 0};
  cg_policy_context clinical = {CG_CONVERSATION_CLINICAL, true, false, NULL, 0};
  cg_policy_context bad = {42, true, false, NULL, 0};
  cg_decision *d = NULL;
  cg_decision_summary sum;
  cg_reason reason;
  EXPECT_STATUS(cg_policy_decide(findings, &social, &d), CG_STATUS_OK);
  EXPECT_STATUS(cg_decision_get_summary(d, &sum), CG_STATUS_OK);
  CHECK(sum.verdict == CG_VERDICT_BLOCK && sum.reasons_len == 1 && sum.suggestion == NULL);
  EXPECT_STATUS(cg_decision_reason(d, 0, &reason), CG_STATUS_OK);
  CHECK(strcmp(reason.code, "social_group") == 0 && strlen(reason.guidance) > 0 && strlen(reason.message) > 0);
  EXPECT_STATUS(cg_decision_reason(d, 1, &reason), CG_STATUS_INVALID_ARGUMENT);
  cg_decision_free(d);
  d = NULL;
  EXPECT_STATUS(cg_policy_decide(findings, &bad, &d), CG_STATUS_INVALID_ARGUMENT);
  CHECK(d == NULL);
  EXPECT_STATUS(cg_policy_decide(findings, NULL, &d), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_policy_review(scanner, text, text_len, &clinical, &d), CG_STATUS_OK);
  EXPECT_STATUS(cg_decision_get_summary(d, &sum), CG_STATUS_OK);
  CHECK(sum.verdict == CG_VERDICT_WARN && sum.suggestion != NULL && strstr(sum.suggestion, "5919") == NULL);
  cg_decision_free(d);
  d = NULL;
  /* recipients' verification: an unverified recipient turns an approved clinical Allow
     into Warn for high-risk identifiers; bad entries are refused */
  cg_recipient_trust unverified[1] = {{CG_VERIFICATION_UNVERIFIED, false}};
  cg_recipient_trust changed[1] = {{CG_VERIFICATION_VERIFIED_IN_PERSON, true}};
  cg_recipient_trust weird[1] = {{77, false}};
  cg_policy_context to_unverified = {CG_CONVERSATION_CLINICAL, true, false, unverified, 1};
  cg_policy_context to_changed = {CG_CONVERSATION_CLINICAL, true, false, changed, 1};
  cg_policy_context to_weird = {CG_CONVERSATION_CLINICAL, true, false, weird, 1};
  cg_policy_context to_null = {CG_CONVERSATION_CLINICAL, true, false, NULL, 1};
  EXPECT_STATUS(cg_policy_review(scanner, "NHS 943 476 5919", 16, &to_unverified, &d), CG_STATUS_OK);
  EXPECT_STATUS(cg_decision_get_summary(d, &sum), CG_STATUS_OK);
  CHECK(sum.verdict == CG_VERDICT_WARN);
  int saw_unverified = 0;
  for (size_t i = 0; i < sum.reasons_len; i++) {
    EXPECT_STATUS(cg_decision_reason(d, i, &reason), CG_STATUS_OK);
    saw_unverified |= strcmp(reason.code, "unverified_recipient") == 0;
  }
  CHECK(saw_unverified);
  cg_decision_free(d);
  d = NULL;
  EXPECT_STATUS(cg_policy_review(scanner, "NHS 943 476 5919", 16, &to_changed, &d), CG_STATUS_OK);
  EXPECT_STATUS(cg_decision_get_summary(d, &sum), CG_STATUS_OK);
  CHECK(sum.verdict == CG_VERDICT_WARN);
  cg_decision_free(d);
  d = NULL;
  EXPECT_STATUS(cg_policy_review(scanner, "NHS 943 476 5919", 16, &to_weird, &d), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_policy_review(scanner, "NHS 943 476 5919", 16, &to_null, &d), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_policy_review(scanner, "bed 4 obs stable", 16, &social, &d), CG_STATUS_OK);
  EXPECT_STATUS(cg_decision_get_summary(d, &sum), CG_STATUS_OK);
  CHECK(sum.verdict == CG_VERDICT_ALLOW && sum.reasons_len == 0 && sum.suggestion == NULL);
  cg_decision_free(d);
  d = NULL;
  EXPECT_STATUS(cg_policy_review(scanner, "a\0b", 3, &social, &d), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_decision_get_summary(NULL, &sum), CG_STATUS_NULL_POINTER);
  cg_decision_free(NULL);
  cg_findings_free(findings);
  cg_findings_free(NULL);
  cg_scanner_free(scanner);

  /* builder: kinds, threshold, mask style, patterns, allow-list, names */
  cg_scanner_builder *b = NULL;
  EXPECT_STATUS(cg_scanner_builder_new(&b), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_kind(b, "phone_number", 12, false), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_kind(b, "shoe_size", 9, false), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_scanner_builder_mask_style(b, CG_MASK_STYLE_PARTIAL), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_mask_style(b, 7), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_scanner_builder_hospital_number_pattern(b, "\\bRX[0-9]{7}\\b", 14), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_allow(b, "Ward Beaumont", 13), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_extra_given_name(b, "Zindzi", 6), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_extra_surname(b, "Okonkwo-Hart", 12), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_extra_surname(b, "\xff", 1), CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_scanner_builder_staff_name(b, "Bronwen Pugh", 12), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_staff_name(b, "\xff", 1), CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_scanner_builder_staff_name(NULL, "Jo", 2), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_scanner_builder_confidence_threshold(b, 0.5f), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_build(b, &scanner), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_scan(scanner, "ref RX1234567, call 07700 900123", 32, &findings), CG_STATUS_OK);
  EXPECT_STATUS(cg_findings_len(findings, &n), CG_STATUS_OK);
  CHECK(n == 1);
  EXPECT_STATUS(cg_findings_get(findings, 0, &f), CG_STATUS_OK);
  CHECK(strcmp(f.kind, "hospital_number") == 0 && f.start == 4 && f.end == 13);
  cg_findings_free(findings);
  EXPECT_STATUS(cg_scanner_minimise(scanner, "NHS 943 476 5919", 16, &minimised), CG_STATUS_OK);
  CHECK(strcmp(minimised, "NHS *** *** 5919") == 0);
  cg_string_free(minimised);
  EXPECT_STATUS(cg_scanner_has_findings(scanner, "moved to Ward Beaumont", 22, &has), CG_STATUS_OK);
  CHECK(!has);
  /* a name on the staff list is the staff's, one that is not is the patient's */
  EXPECT_STATUS(cg_scanner_scan(scanner, "Bronwen Pugh is NIC today", 25, &findings), CG_STATUS_OK);
  EXPECT_STATUS(cg_findings_len(findings, &n), CG_STATUS_OK);
  CHECK(n == 1);
  EXPECT_STATUS(cg_findings_get(findings, 0, &f), CG_STATUS_OK);
  CHECK(strcmp(f.kind, "person_name") == 0 && strcmp(f.subject, "staff") == 0);
  cg_findings_free(findings);
  EXPECT_STATUS(cg_scanner_scan(scanner, "Mrs Okoro in bed 4 is NBM", 25, &findings), CG_STATUS_OK);
  EXPECT_STATUS(cg_findings_len(findings, &n), CG_STATUS_OK);
  CHECK(n == 1);
  EXPECT_STATUS(cg_findings_get(findings, 0, &f), CG_STATUS_OK);
  CHECK(strcmp(f.kind, "person_name") == 0 && strcmp(f.subject, "patient") == 0);
  cg_findings_free(findings);
  cg_scanner_free(scanner);
  scanner = NULL;
  /* build-time errors */
  EXPECT_STATUS(cg_scanner_builder_confidence_threshold(b, 1.5f), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_build(b, &scanner), CG_STATUS_INVALID_ARGUMENT);
  CHECK(scanner == NULL);
  EXPECT_STATUS(cg_scanner_builder_confidence_threshold(b, 0.5f), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_hospital_number_pattern(b, "(unclosed", 9), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_build(b, &scanner), CG_STATUS_INVALID_PATTERN);
  EXPECT_STATUS(cg_scanner_builder_build(NULL, &scanner), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_scanner_builder_kind(NULL, "date", 4, true), CG_STATUS_NULL_POINTER);
  cg_scanner_builder_free(b);
  cg_scanner_builder_free(NULL);
  cg_scanner_free(NULL);

  cg_scanner_builder *b2 = NULL;
  EXPECT_STATUS(cg_scanner_builder_new(&b2), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_allow(b2, "", 0), CG_STATUS_OK);
  EXPECT_STATUS(cg_scanner_builder_build(b2, &scanner), CG_STATUS_INVALID_LENGTH);
  cg_scanner_builder_free(b2);
}

static void test_retention(void) {
  cg_retention_policy org = {true, 30 * 86400u, false, 0, true, 86400u};
  cg_retention_policy ward = {true, 7 * 86400u, true, 86400u, false, 0};
  cg_retention_policy merged;
  EXPECT_STATUS(cg_retention_policy_merge(&ward, &org, &merged), CG_STATUS_OK);
  CHECK(merged.has_after_send && merged.after_send == 7 * 86400u && merged.has_after_read &&
        merged.after_read == 86400u && merged.transcription_hold_max == 86400u);
  EXPECT_STATUS(cg_retention_policy_merge(NULL, NULL, &merged), CG_STATUS_OK);
  CHECK(!merged.has_after_send && merged.transcription_hold_max == 3 * 86400u);
  EXPECT_STATUS(cg_retention_policy_merge(&ward, &org, NULL), CG_STATUS_NULL_POINTER);
  bool has = false;
  uint64_t at = 0;
  EXPECT_STATUS(cg_retention_expires_at(&ward, 1000, &has, &at), CG_STATUS_OK);
  CHECK(has && at == 1000 + 7 * 86400u);
  EXPECT_STATUS(cg_retention_expires_at(NULL, 1000, &has, &at), CG_STATUS_OK);
  CHECK(!has && at == 0);
  EXPECT_STATUS(cg_retention_expires_at(&ward, 1000, NULL, &at), CG_STATUS_NULL_POINTER);

  /* the clock never goes back */
  uint64_t hw = 0, now = 0;
  bool back = true;
  EXPECT_STATUS(cg_clock_now(&hw, 1000, &now, &back), CG_STATUS_OK);
  CHECK(now == 1000 && hw == 1000 && !back);
  EXPECT_STATUS(cg_clock_now(&hw, 400, &now, &back), CG_STATUS_OK);
  CHECK(now == 1000 && hw == 1000 && back);
  EXPECT_STATUS(cg_clock_now(&hw, 2000, &now, NULL), CG_STATUS_OK);
  CHECK(now == 2000 && hw == 2000);
  EXPECT_STATUS(cg_clock_now(NULL, 2000, &now, NULL), CG_STATUS_NULL_POINTER);

  cg_retention_policy hold = {false, 0, false, 0, true, 3600};
  cg_retention_message msgs[3] = {
      {1, true, 100, false, 0, hold, false, false},
      {2, true, 100, false, 0, hold, true, false},
      {3, true, 500, false, 0, hold, false, false},
  };
  cg_sweep sweep;
  EXPECT_STATUS(cg_retention_sweep(msgs, 3, 200, &sweep), CG_STATUS_OK);
  CHECK(sweep.delete_len == 1 && sweep.delete_ids[0] == 1);
  CHECK(sweep.awaiting_len == 1 && sweep.awaiting[0].id == 2 && sweep.awaiting[0].due_at == 100 &&
        sweep.awaiting[0].hold_until == 3700 && sweep.awaiting[0].open_time == 99);
  CHECK(sweep.deleted_untranscribed_len == 0 && sweep.deleted_untranscribed_ids == NULL);
  CHECK(sweep.has_next_wake && sweep.next_wake == 500);
  cg_sweep_free(&sweep);
  CHECK(sweep.delete_ids == NULL && sweep.delete_len == 0);
  cg_sweep_free(&sweep);
  EXPECT_STATUS(cg_retention_sweep(msgs, 3, 4000, &sweep), CG_STATUS_OK);
  CHECK(sweep.delete_len == 3 && sweep.deleted_untranscribed_len == 1 && sweep.deleted_untranscribed_ids[0] == 2);
  CHECK(!sweep.has_next_wake);
  cg_sweep_free(&sweep);
  EXPECT_STATUS(cg_retention_sweep(NULL, 0, 200, &sweep), CG_STATUS_OK);
  CHECK(sweep.delete_len == 0 && !sweep.has_next_wake);
  EXPECT_STATUS(cg_retention_sweep(NULL, 2, 200, &sweep), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_retention_sweep(msgs, (size_t)-1, 200, &sweep), CG_STATUS_TOO_LARGE);
  EXPECT_STATUS(cg_retention_sweep(msgs, 3, 200, NULL), CG_STATUS_NULL_POINTER);
  cg_sweep_free(NULL);
}

static void test_identity(void) {
  const uint64_t day = 86400u;
  uint8_t org_seed[32], other_seed[32];
  memset(org_seed, 3, sizeof org_seed);
  memset(other_seed, 4, sizeof other_seed);
  cg_bytes org_pk = {NULL, 0}, other_pk = {NULL, 0};
  EXPECT_STATUS(cg_wipe_org_public_key(org_seed, 32, &org_pk), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_org_public_key(other_seed, 32, &other_pk), CG_STATUS_OK);

  cg_device_keys *alice = NULL, *bob = NULL;
  EXPECT_STATUS(cg_device_keys_generate(&alice), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_generate(&bob), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_generate(NULL), CG_STATUS_NULL_POINTER);

  cg_bytes alice_card = {NULL, 0}, bob_card = {NULL, 0}, unattested = {NULL, 0};
  EXPECT_STATUS(cg_device_keys_issue_card(alice, NULL, "alice@nhs.net", 13, "Dr Alice", 8, NOW, NOW + 365 * day, org_seed,
                                          32, &alice_card),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_issue_card(bob, NULL, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + 365 * day, org_seed, 32,
                                          &bob_card),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_issue_card(bob, NULL, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + 365 * day, NULL, 0,
                                          &unattested),
                CG_STATUS_OK);
  cg_bytes bad = {NULL, 0};
  EXPECT_STATUS(cg_device_keys_issue_card(bob, NULL, "", 0, "Nurse Bob", 9, NOW, NOW + day, NULL, 0, &bad),
                CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_device_keys_issue_card(bob, NULL, "bob", 3, "x", 1, NOW, NOW + day, org_seed, 5, &bad),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_device_keys_issue_card(NULL, NULL, "bob", 3, "x", 1, NOW, NOW + day, NULL, 0, &bad),
                CG_STATUS_NULL_POINTER);

  /* verification: attested, required attestation, wrong org, expiry, tampering, revocation */
  cg_verified_card *va = NULL, *vb = NULL, *tmp = NULL;
  EXPECT_STATUS(cg_card_verify(alice_card.data, alice_card.len, org_pk.data, 32, true, NULL, 0, NOW, &va),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_card_verify(bob_card.data, bob_card.len, org_pk.data, 32, true, NULL, 0, NOW, &vb), CG_STATUS_OK);
  cg_card_info info;
  EXPECT_STATUS(cg_verified_card_info(va, &info), CG_STATUS_OK);
  CHECK(strcmp(info.staff_id, "alice@nhs.net") == 0 && strcmp(info.display_name, "Dr Alice") == 0 &&
        info.attested && info.created_at == NOW && info.expires_at == NOW + 365 * day);
  EXPECT_STATUS(cg_verified_card_info(NULL, &info), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_card_verify(unattested.data, unattested.len, org_pk.data, 32, true, NULL, 0, NOW, &tmp),
                CG_STATUS_NOT_ATTESTED);
  CHECK(tmp == NULL);
  EXPECT_STATUS(cg_card_verify(unattested.data, unattested.len, NULL, 0, false, NULL, 0, NOW, &tmp), CG_STATUS_OK);
  EXPECT_STATUS(cg_verified_card_info(tmp, &info), CG_STATUS_OK);
  CHECK(!info.attested);
  cg_verified_card_free(tmp);
  tmp = NULL;
  EXPECT_STATUS(cg_card_verify(bob_card.data, bob_card.len, other_pk.data, 32, true, NULL, 0, NOW, &tmp),
                CG_STATUS_BAD_ATTESTATION);
  EXPECT_STATUS(cg_card_verify(bob_card.data, bob_card.len, org_pk.data, 32, true, NULL, 0, NOW + 400 * day, &tmp),
                CG_STATUS_EXPIRED);
  EXPECT_STATUS(cg_card_verify(bob_card.data, bob_card.len, org_pk.data, 32, true, NULL, 0, NOW - day, &tmp),
                CG_STATUS_NOT_YET_VALID);
  EXPECT_STATUS(cg_card_verify(bob_card.data, bob_card.len, org_pk.data, 31, true, NULL, 0, NOW, &tmp),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_card_verify(bob_card.data, 10, org_pk.data, 32, true, NULL, 0, NOW, &tmp), CG_STATUS_TRUNCATED);
  bob_card.data[bob_card.len / 2] ^= 1;
  cg_status tampered = cg_card_verify(bob_card.data, bob_card.len, org_pk.data, 32, true, NULL, 0, NOW, &tmp);
  CHECK(tampered == CG_STATUS_BAD_DEVICE_SIGNATURE || tampered == CG_STATUS_MALFORMED);
  bob_card.data[bob_card.len / 2] ^= 1;
  CHECK(tmp == NULL);
  cg_bytes revoked = {NULL, 0};
  EXPECT_STATUS(cg_revocation_list_sign(org_seed, 32, info.device_id, CG_DEVICE_ID_LEN, NOW, &revoked), CG_STATUS_OK);
  EXPECT_STATUS(cg_card_verify(unattested.data, unattested.len, org_pk.data, 32, false, revoked.data, revoked.len,
                               NOW, &tmp),
                CG_STATUS_REVOKED);
  EXPECT_STATUS(cg_card_verify(unattested.data, unattested.len, other_pk.data, 32, false, revoked.data, revoked.len,
                               NOW, &tmp),
                CG_STATUS_BAD_REVOCATION_SIGNATURE);
  EXPECT_STATUS(cg_card_verify(alice_card.data, alice_card.len, org_pk.data, 32, true, revoked.data, revoked.len,
                               NOW, &tmp),
                CG_STATUS_OK);
  cg_verified_card_free(tmp);
  tmp = NULL;
  cg_bytes_free(&revoked);
  EXPECT_STATUS(cg_revocation_list_sign(org_seed, 32, info.device_id, 5, NOW, &revoked), CG_STATUS_INVALID_LENGTH);

  /* safety numbers: the same digits on both sides; QR codes cross-check */
  char *digits_a = NULL, *digits_b = NULL;
  cg_bytes qr_a = {NULL, 0}, qr_b = {NULL, 0};
  EXPECT_STATUS(cg_safety_number(va, vb, &digits_a, &qr_a), CG_STATUS_OK);
  EXPECT_STATUS(cg_safety_number(vb, va, &digits_b, &qr_b), CG_STATUS_OK);
  CHECK(strlen(digits_a) == 60 && strcmp(digits_a, digits_b) == 0);
  bool match = false;
  EXPECT_STATUS(cg_safety_number_matches_scanned(va, vb, qr_b.data, qr_b.len, &match), CG_STATUS_OK);
  CHECK(match);
  EXPECT_STATUS(cg_safety_number_matches_scanned(va, vb, qr_a.data, qr_a.len, &match), CG_STATUS_OK);
  CHECK(!match);
  EXPECT_STATUS(cg_safety_number_matches_scanned(va, vb, qr_a.data, 3, &match), CG_STATUS_MALFORMED);
  EXPECT_STATUS(cg_safety_number(va, NULL, &digits_a, NULL), CG_STATUS_NULL_POINTER);
  cg_string_free(digits_b);
  cg_bytes_free(&qr_a);
  cg_bytes_free(&qr_b);

  /* contacts: trust levels, and what a new card means */
  cg_recipient_trust trust;
  EXPECT_STATUS(cg_contact_trust(vb, false, false, &trust), CG_STATUS_OK);
  CHECK(trust.verification == CG_VERIFICATION_ATTESTED_BY_ORGANISATION && !trust.key_changed);
  EXPECT_STATUS(cg_contact_trust(vb, true, false, &trust), CG_STATUS_OK);
  CHECK(trust.verification == CG_VERIFICATION_VERIFIED_IN_PERSON);
  EXPECT_STATUS(cg_contact_trust(NULL, true, false, &trust), CG_STATUS_NULL_POINTER);
  bool in_person = true, key_changed = false;
  uint32_t change = 99;
  EXPECT_STATUS(cg_contact_observe(vb, vb, &in_person, &key_changed, &change), CG_STATUS_OK);
  CHECK(change == CG_CARD_CHANGE_UNCHANGED && in_person && !key_changed);
  cg_device_keys *bob_next = NULL;
  EXPECT_STATUS(cg_device_keys_rotate(bob, &bob_next), CG_STATUS_OK);
  cg_bytes rotated_card = {NULL, 0}, stranger_card = {NULL, 0};
  EXPECT_STATUS(cg_device_keys_issue_card(bob_next, bob, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + day, org_seed,
                                          32, &rotated_card),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_issue_card(bob_next, alice, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + day, NULL,
                                          0, &bad),
                CG_STATUS_INVALID_ARGUMENT);
  cg_verified_card *v_rotated = NULL, *v_stranger = NULL;
  EXPECT_STATUS(cg_card_verify(rotated_card.data, rotated_card.len, org_pk.data, 32, true, NULL, 0, NOW, &v_rotated),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_contact_observe(vb, v_rotated, &in_person, &key_changed, &change), CG_STATUS_OK);
  CHECK(change == CG_CARD_CHANGE_ROTATED && in_person && !key_changed);
  cg_device_keys *impostor = NULL;
  EXPECT_STATUS(cg_device_keys_generate(&impostor), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_issue_card(impostor, NULL, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + day, org_seed,
                                          32, &stranger_card),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_card_verify(stranger_card.data, stranger_card.len, org_pk.data, 32, true, NULL, 0, NOW,
                               &v_stranger),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_contact_observe(vb, v_stranger, &in_person, &key_changed, &change), CG_STATUS_OK);
  CHECK(change == CG_CARD_CHANGE_KEY_CHANGED && !in_person && key_changed);
  EXPECT_STATUS(cg_contact_observe(vb, va, &in_person, &key_changed, &change), CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_contact_observe(vb, va, NULL, &key_changed, &change), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_device_keys_rotate(NULL, &bob_next), CG_STATUS_NULL_POINTER);
  cg_verified_card_free(v_rotated);
  cg_verified_card_free(v_stranger);
  cg_device_keys_free(impostor);
  cg_device_keys_free(bob_next);
  cg_bytes_free(&rotated_card);
  cg_bytes_free(&stranger_card);

  /* end-to-end: alice seals to bob (and her own key ring), bob opens and sees alice */
  cg_keyring *own = NULL;
  uint8_t k[32];
  memset(k, 9, sizeof k);
  EXPECT_STATUS(cg_keyring_new(&own), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert(own, 1, k, 32), CG_STATUS_OK);
  const cg_verified_card *to[1] = {vb};
  const cg_verified_card *senders[2] = {vb, va};
  const char msg[] = "bed 4 obs stable";
  cg_seal_options opts = {"text/plain", 10, NOW + day, true};
  cg_bytes sealed = {NULL, 0}, opened = {NULL, 0};
  EXPECT_STATUS(cg_identity_seal(alice, to, 1, own, (const uint8_t *)msg, strlen(msg), (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, &opts, NOW, &sealed),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_identity_seal(alice, NULL, 0, own, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, NULL, NOW,
                                 &opened),
                CG_STATUS_INVALID_ARGUMENT);
  EXPECT_STATUS(cg_identity_seal(alice, NULL, 1, NULL, (const uint8_t *)msg, 3, NULL, 0, NULL, 0, NULL, NOW, &opened),
                CG_STATUS_NULL_POINTER);
  const cg_verified_card *null_card[1] = {NULL};
  EXPECT_STATUS(cg_identity_seal(alice, null_card, 1, NULL, (const uint8_t *)msg, 3, NULL, 0, NULL, 0, NULL, NOW,
                                 &opened),
                CG_STATUS_NULL_POINTER);
  cg_envelope_info einfo;
  size_t index = 99;
  EXPECT_STATUS(cg_identity_open(bob, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + 1, senders, 2, &opened, &einfo, &index),
                CG_STATUS_OK);
  CHECK(opened.len == strlen(msg) && memcmp(opened.data, msg, opened.len) == 0);
  CHECK(index == 1 && einfo.expires_at == NOW + day && strcmp(einfo.content_type, "text/plain") == 0);
  cg_bytes_free(&opened);
  /* alice reopens her own copy through her key ring */
  EXPECT_STATUS(cg_identity_open(alice, own, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + 1, senders, 2, &opened, NULL, NULL),
                CG_STATUS_OK);
  cg_bytes_free(&opened);
  EXPECT_STATUS(cg_identity_open(alice, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + 1, senders, 2, &opened, NULL, NULL),
                CG_STATUS_NOT_A_RECIPIENT);
  EXPECT_STATUS(cg_identity_open(bob, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + 1, senders, 1, &opened, NULL, NULL),
                CG_STATUS_UNKNOWN_SENDER);
  EXPECT_STATUS(cg_identity_open(bob, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + day, senders, 2, &opened, NULL, NULL),
                CG_STATUS_EXPIRED);
  EXPECT_STATUS(cg_identity_open(bob, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-8", 6,
                                 (const uint8_t *)"alice", 5, NOW + 1, senders, 2, &opened, NULL, NULL),
                CG_STATUS_WRONG_BINDING);
  EXPECT_STATUS(cg_identity_open(NULL, NULL, sealed.data, sealed.len, NULL, 0, NULL, 0, NOW, senders, 2, &opened,
                                 NULL, NULL),
                CG_STATUS_NULL_POINTER);

  /* device keys survive only inside the vault */
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0}, wrapped = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_wrap_in_vault(bob, vault, NOW + 1, &wrapped), CG_STATUS_OK);
  cg_device_keys *bob2 = NULL;
  EXPECT_STATUS(cg_device_keys_unwrap_from_vault(vault, wrapped.data, wrapped.len, NOW + 2, &bob2), CG_STATUS_OK);
  EXPECT_STATUS(cg_identity_open(bob2, NULL, sealed.data, sealed.len, (const uint8_t *)"ward-7", 6,
                                 (const uint8_t *)"alice", 5, NOW + 3, senders, 2, &opened, NULL, NULL),
                CG_STATUS_OK);
  cg_bytes_free(&opened);
  wrapped.data[wrapped.len - 1] ^= 1;
  cg_device_keys *none = NULL;
  EXPECT_STATUS(cg_device_keys_unwrap_from_vault(vault, wrapped.data, wrapped.len, NOW + 4, &none),
                CG_STATUS_TAMPERED);
  CHECK(none == NULL);
  EXPECT_STATUS(cg_vault_lock(vault), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_wrap_in_vault(bob, vault, NOW + 5, &opened), CG_STATUS_VAULT_LOCKED);
  EXPECT_STATUS(cg_device_keys_unwrap_from_vault(vault, wrapped.data, wrapped.len, NOW + 5, &none),
                CG_STATUS_VAULT_LOCKED);

  cg_device_keys_free(bob2);
  cg_device_keys_free(NULL);
  cg_vault_free(vault);
  cg_bytes_free(&blob);
  cg_bytes_free(&wrapped);
  cg_bytes_free(&sealed);
  cg_keyring_free(own);
  cg_string_free(digits_a);
  cg_verified_card_free(va);
  cg_verified_card_free(vb);
  cg_verified_card_free(NULL);
  cg_bytes_free(&unattested);
  cg_bytes_free(&bob_card);
  cg_bytes_free(&alice_card);
  cg_device_keys_free(alice);
  cg_device_keys_free(bob);
  cg_bytes_free(&org_pk);
  cg_bytes_free(&other_pk);
}

/* Handles documented as shareable are used from several threads at once; each thread
   also checks that its last-error message is its own. */
typedef struct {
  const cg_scanner *scanner;
  const cg_keyring *ring;
  cg_vault *vault;
  const uint8_t *sealed;
  size_t sealed_len;
  int failures;
} shared_t;

static void *worker(void *arg) {
  shared_t *sh = (shared_t *)arg;
  const char text[] = "NHS 943 476 5919";
  for (int i = 0; i < 20; i++) {
    bool has = false;
    if (cg_scanner_has_findings(sh->scanner, text, strlen(text), &has) != CG_STATUS_OK || !has) sh->failures++;
    cg_bytes out = {NULL, 0};
    if (cg_envelope_open(sh->ring, sh->sealed, sh->sealed_len, NULL, 0, NULL, 0, NOW, &out, NULL) != CG_STATUS_OK ||
        out.len != 5) {
      sh->failures++;
    }
    cg_bytes_free(&out);
    if (cg_vault_touch(sh->vault, NOW + 1) != CG_STATUS_OK) sh->failures++;
    /* an error on this thread sets this thread's message only */
    if (cg_key_generate(NULL) != CG_STATUS_NULL_POINTER || strlen(cg_last_error_message()) == 0) sh->failures++;
    if (cg_scanner_has_findings(sh->scanner, text, strlen(text), &has) != CG_STATUS_OK ||
        strcmp(cg_last_error_message(), "") != 0) {
      sh->failures++;
    }
  }
  return NULL;
}

static void test_threads(void) {
  cg_scanner *scanner = NULL;
  cg_keyring *ring = NULL;
  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0}, sealed = {NULL, 0};
  uint8_t k[32];
  memset(k, 5, sizeof k);
  EXPECT_STATUS(cg_scanner_new(&scanner), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert(ring, 1, k, 32), CG_STATUS_OK);
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)"hello", 5, NULL, 0, NULL, 0, NULL, NOW, &sealed),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  shared_t sh[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    sh[i] = (shared_t){scanner, ring, vault, sealed.data, sealed.len, 0};
    CHECK(pthread_create(&threads[i], NULL, worker, &sh[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(sh[i].failures == 0);
  }
  cg_vault_free(vault);
  cg_bytes_free(&blob);
  cg_bytes_free(&sealed);
  cg_keyring_free(ring);
  cg_scanner_free(scanner);
}

/* --- safe sending, audit log, Trust policy packs (issue 17) --- */

/* Hex from core/tests/vectors/audit-log-v1.json and trust-pack-v1.json. */
static const char AUDIT_LOG_HEX[] =
    "4347414c0105050505050505050505050505050505000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000002000e000000006a18a5000000000000000012000000006a18a5"
    "3c00010100020001030100f421eca21a4a447fdc56f7b412efaf5c14be1682cf4940d524f10213ef86caffe61c16cf17"
    "5e57c02b7429fc7633c6e2e2ac493125d76495f0953a74f44515084347414c0105050505050505050505050505050505"
    "000000000000000100000000000000024ed8f76112db17f41da460bebc3f0b759cf8167dba8f64c226ff575e68ec5490"
    "00010034000000006a18a57801020301010502246e6574776f726b20646f776e2c204d72205b6e616d655d206e656564"
    "732072657669657709ade6ac50f2150921e0d74c28173e2bd596aab877bfee8951e172d1517b95b3dedffbb7327674cb"
    "fd9901b9b5b5b86dd12cea744db23cce8f89fa3f8ed4190a";
static const char AUDIT_KEY_HEX[] =
    "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
static const char AUDIT_HEAD_HEX[] =
    "0000000000000003dc5d2f8cf4b7803b448c3905549dc8df1e3fa31262af2185f620f25d0d37262e";
static const char AUDIT_EDITED_HEX[] =
    "4347414c0105050505050505050505050505050505000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000002000e000001006a18a5000000000000000012000000006a18a5"
    "3c00010100020001030100f421eca21a4a447fdc56f7b412efaf5c14be1682cf4940d524f10213ef86caffe61c16cf17"
    "5e57c02b7429fc7633c6e2e2ac493125d76495f0953a74f44515084347414c0105050505050505050505050505050505"
    "000000000000000100000000000000024ed8f76112db17f41da460bebc3f0b759cf8167dba8f64c226ff575e68ec5490"
    "00010034000000006a18a57801020301010502246e6574776f726b20646f776e2c204d72205b6e616d655d206e656564"
    "732072657669657709ade6ac50f2150921e0d74c28173e2bd596aab877bfee8951e172d1517b95b3dedffbb7327674cb"
    "fd9901b9b5b5b86dd12cea744db23cce8f89fa3f8ed4190a";
static const char TRUST_PACK_HEX[] =
    "43475450010000000000000005000000006a175380000000006a403200020f4d6963726f736f6674205465616d730550"
    "616e646f02000000000000093a800000000000015180000000000003f480010000000000015180000000000000000000"
    "0000000000000001000c5c625241375c647b367d5c62000119466c6f72656e6365204e69676874696e67616c65207761"
    "726401000000000000a8c000000000004f1a000000002801ae04b98a8d40e8e47829d1a9662faefda81c5abe940c0be0"
    "fe4acad3a3f19681dc7bc594efe3bad798580d8de371851fe342d3114ef12e50997a7c37f1da170b";
static const char TRUST_ROLLBACK_HEX[] =
    "43475450010000000000000003000000006a175380000000006a403200020f4d6963726f736f6674205465616d730550"
    "616e646f02000000000000093a800000000000015180000000000003f480010000000000015180000000000000000000"
    "0000000000000001000c5c625241375c647b367d5c62000119466c6f72656e6365204e69676874696e67616c65207761"
    "726401000000000000a8c000000000004f1a0000000028019c49d7ad0391f2c53990bee30732bbdfb4545cc7705417b0"
    "43b1655f1a4d12feaaf4f6a801dee54c200e308019d6554465957986939138b6b9d9e4ab83184c0c";
static const char TRUST_ORG_HEX[] =
    "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
static const uint64_t TRUST_NOW = 1780000000u;

/* Decodes hex into a malloc'd buffer; *len gets its length. */
static uint8_t *unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2;
  uint8_t *out = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    unsigned int byte = 0;
    CHECK(sscanf(hex + 2 * i, "%2x", &byte) == 1);
    out[i] = (uint8_t)byte;
  }
  *len = n;
  return out;
}

static void test_notification_text(void) {
  cg_keyring *ring = NULL;
  uint8_t k[32];
  memset(k, 3, sizeof k);
  EXPECT_STATUS(cg_keyring_new(&ring), CG_STATUS_OK);
  EXPECT_STATUS(cg_keyring_insert(ring, 1, k, sizeof k), CG_STATUS_OK);
  const char msg[] = "Mr John Smith NHS 943 476 5919";
  cg_seal_options opts = {"text/plain", 10, 0, true};
  cg_bytes sealed = {NULL, 0};
  EXPECT_STATUS(cg_envelope_seal(ring, (const uint8_t *)msg, strlen(msg), NULL, 0, NULL, 0, &opts, NOW, &sealed),
                CG_STATUS_OK);
  char *text = NULL;
  const char ward[] = "Ward 7", dr[] = "Dr A Clinician";
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 1, ward, strlen(ward), dr, strlen(dr), &text),
                CG_STATUS_OK);
  CHECK(text != NULL && strcmp(text, "New message in Ward 7") == 0);
  cg_string_free(text);
  text = NULL;
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 2, ward, strlen(ward), dr, strlen(dr), &text),
                CG_STATUS_OK);
  CHECK(text != NULL && strcmp(text, "New message from Dr A Clinician in Ward 7") == 0);
  CHECK(text != NULL && strstr(text, "Smith") == NULL);
  cg_string_free(text);
  text = NULL;
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 0, NULL, 0, NULL, 0, &text), CG_STATUS_OK);
  CHECK(text != NULL && strcmp(text, "New message") == 0);
  cg_string_free(text);
  text = NULL;
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 7, NULL, 0, NULL, 0, &text),
                CG_STATUS_INVALID_ARGUMENT);
  CHECK(text == NULL);
  EXPECT_STATUS(cg_notification_text(sealed.data, 3, 0, NULL, 0, NULL, 0, &text), CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 0, "\xff", 1, NULL, 0, &text), CG_STATUS_INVALID_UTF8);
  EXPECT_STATUS(cg_notification_text(sealed.data, sealed.len, 0, NULL, 0, NULL, 0, NULL), CG_STATUS_NULL_POINTER);
  cg_bytes_free(&sealed);
  cg_keyring_free(ring);
}

static void test_audit_log(void) {
  size_t log_len, key_len, head_len, edited_len;
  uint8_t *log = unhex(AUDIT_LOG_HEX, &log_len);
  uint8_t *key = unhex(AUDIT_KEY_HEX, &key_len);
  uint8_t *head = unhex(AUDIT_HEAD_HEX, &head_len);
  uint8_t *edited = unhex(AUDIT_EDITED_HEX, &edited_len);
  uint64_t records = 99;
  cg_bytes got_head = {NULL, 0};
  EXPECT_STATUS(cg_audit_log_verify(log, log_len, key, key_len, head, head_len, &records, &got_head), CG_STATUS_OK);
  CHECK(records == 3);
  CHECK(got_head.len == 40 && memcmp(got_head.data, head, 40) == 0);
  cg_bytes_free(&got_head);
  EXPECT_STATUS(cg_audit_log_verify(log, log_len, key, key_len, NULL, 0, &records, &got_head), CG_STATUS_OK);
  cg_bytes_free(&got_head);
  EXPECT_STATUS(cg_audit_log_verify(edited, edited_len, key, key_len, head, head_len, &records, &got_head),
                CG_STATUS_BAD_SIGNATURE);
  CHECK(records == 0);
  EXPECT_STATUS(cg_audit_log_verify(log, log_len - 1, key, key_len, head, head_len, &records, &got_head),
                CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_audit_log_verify(log, log_len, key, key_len, head, 39, &records, &got_head),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_audit_log_verify(log, log_len, key, key_len, head, head_len, NULL, &got_head),
                CG_STATUS_NULL_POINTER);
  free(log);
  free(key);
  free(head);
  free(edited);
}

static void test_trust_pack(void) {
  size_t pack_len, old_len, org_len;
  uint8_t *pack = unhex(TRUST_PACK_HEX, &pack_len);
  uint8_t *old = unhex(TRUST_ROLLBACK_HEX, &old_len);
  uint8_t *org = unhex(TRUST_ORG_HEX, &org_len);
  uint64_t accepted = 4, version = 0;
  EXPECT_STATUS(cg_trust_pack_verify(pack, pack_len, org, org_len, TRUST_NOW, &accepted, &version), CG_STATUS_OK);
  CHECK(version == 5);
  EXPECT_STATUS(cg_trust_pack_verify(old, old_len, org, org_len, TRUST_NOW, &accepted, &version), CG_STATUS_REPLAYED);
  CHECK(version == 0);
  EXPECT_STATUS(cg_trust_pack_verify(old, old_len, org, org_len, TRUST_NOW, NULL, &version), CG_STATUS_OK);
  CHECK(version == 3);
  EXPECT_STATUS(cg_trust_pack_verify(pack, pack_len, org, org_len, TRUST_NOW + 365u * 86400u, NULL, &version),
                CG_STATUS_EXPIRED);
  pack[40] ^= 1;
  EXPECT_STATUS(cg_trust_pack_verify(pack, pack_len, org, org_len, TRUST_NOW, NULL, &version), CG_STATUS_BAD_SIGNATURE);
  EXPECT_STATUS(cg_trust_pack_verify(pack, 10, org, org_len, TRUST_NOW, NULL, &version), CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_trust_pack_verify(pack, pack_len, org, 31, TRUST_NOW, NULL, &version), CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_trust_pack_verify(pack, pack_len, org, org_len, TRUST_NOW, NULL, NULL), CG_STATUS_NULL_POINTER);
  free(pack);
  free(old);
  free(org);
}

static const char EMERGENCY_ORDER_HEX[] =
    "4347454d010000000000000009000000006a1896f0000000006a18b310ce7ba80b44a1e01e07aee0132aafc96d72b33784f0eb8463a9f3d9"
    "5ae77214a9aad70597122025d165c90b2813a8fe56755563347d1c324f57c9307bbafba70b";

/* Whether `needle` occurs in the buffer (memmem is not standard C). */
static bool contains(const uint8_t *data, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n <= len && i <= len - n; i++) {
    if (memcmp(data + i, needle, n) == 0) return true;
  }
  return false;
}

static cg_recipient_entry contact_entry(const char *id, const char *name, bool attested, bool sent_before) {
  cg_recipient_entry e;
  memset(&e, 0, sizeof e);
  e.id = id;
  e.id_len = strlen(id);
  e.display_name = name;
  e.display_name_len = strlen(name);
  e.kind = CG_RECIPIENT_KIND_CONTACT;
  e.attested = attested;
  e.verification = attested ? CG_VERIFICATION_ATTESTED_BY_ORGANISATION : CG_VERIFICATION_UNVERIFIED;
  e.identifiers_sent_before = sent_before;
  return e;
}

static void test_address_book(void) {
  cg_recipient_entry entries[4];
  entries[0] = contact_entry("c1", "Dr John Smith", true, true);
  entries[1] = contact_entry("c2", "Dr John Smyth", true, false);
  entries[2] = contact_entry("c3", "Nurse Amara Okafor", true, true);
  entries[3] = contact_entry("g1", "Ward 7 social", true, true);
  entries[3].kind = CG_RECIPIENT_KIND_GROUP;
  entries[3].purpose = CG_GROUP_PURPOSE_SOCIAL;
  entries[3].members_outside_trust = 2;
  cg_address_book *book = NULL;
  EXPECT_STATUS(cg_address_book_new(entries, 4, &book), CG_STATUS_OK);

  /* choosing Smith with identifiers: Smyth is confusable and named */
  cg_recipient_warnings *w = NULL;
  size_t n = 99;
  EXPECT_STATUS(cg_address_book_check(book, &entries[0], true, true, &w), CG_STATUS_OK);
  EXPECT_STATUS(cg_recipient_warnings_len(w, &n), CG_STATUS_OK);
  CHECK(n == 1);
  cg_recipient_warning item;
  EXPECT_STATUS(cg_recipient_warnings_get(w, 0, &item), CG_STATUS_OK);
  CHECK(strcmp(item.code, "confusable_name") == 0);
  CHECK(strcmp(item.alternative_id, "c2") == 0);
  CHECK(strcmp(item.alternative_name, "Dr John Smyth") == 0);
  CHECK(strcmp(item.confusion, "edit_distance") == 0 && item.distance == 1);
  CHECK(strstr(item.message, "Dr John Smyth") != NULL);
  CHECK(strstr(item.guidance, "correct person or group") != NULL);
  EXPECT_STATUS(cg_recipient_warnings_get(w, 1, &item), CG_STATUS_INVALID_ARGUMENT);
  cg_recipient_warnings_free(w);
  w = NULL;

  /* the social group with identifiers: outside the Trust, clinical to social */
  EXPECT_STATUS(cg_address_book_check(book, &entries[3], true, true, &w), CG_STATUS_OK);
  EXPECT_STATUS(cg_recipient_warnings_len(w, &n), CG_STATUS_OK);
  CHECK(n == 2);
  EXPECT_STATUS(cg_recipient_warnings_get(w, 0, &item), CG_STATUS_OK);
  CHECK(strcmp(item.code, "outside_trust") == 0 && item.members == 2 && item.alternative_id == NULL);
  EXPECT_STATUS(cg_recipient_warnings_get(w, 1, &item), CG_STATUS_OK);
  CHECK(strcmp(item.code, "clinical_to_social_group") == 0);
  cg_recipient_warnings_free(w);
  w = NULL;

  /* a new, unattested contact */
  cg_recipient_entry stranger = contact_entry("x", "Someone Else Entirely", false, false);
  EXPECT_STATUS(cg_address_book_check(book, &stranger, true, false, &w), CG_STATUS_OK);
  EXPECT_STATUS(cg_recipient_warnings_len(w, &n), CG_STATUS_OK);
  CHECK(n == 2);
  EXPECT_STATUS(cg_recipient_warnings_get(w, 0, &item), CG_STATUS_OK);
  CHECK(strcmp(item.code, "first_identifiers_to_contact") == 0);
  cg_recipient_warnings_free(w);
  w = NULL;

  /* a message with nothing sensitive: no warnings */
  EXPECT_STATUS(cg_address_book_check(book, &stranger, false, false, &w), CG_STATUS_OK);
  EXPECT_STATUS(cg_recipient_warnings_len(w, &n), CG_STATUS_OK);
  CHECK(n == 0);
  cg_recipient_warnings_free(w);
  w = NULL;

  /* bad input */
  cg_recipient_entry bad = stranger;
  bad.kind = 9;
  EXPECT_STATUS(cg_address_book_check(book, &bad, true, false, &w), CG_STATUS_INVALID_ARGUMENT);
  CHECK(w == NULL);
  bad = stranger;
  bad.verification = 9;
  cg_address_book *refused = NULL;
  EXPECT_STATUS(cg_address_book_new(&bad, 1, &refused), CG_STATUS_INVALID_ARGUMENT);
  CHECK(refused == NULL);
  bad = stranger;
  bad.display_name = "\xff";
  bad.display_name_len = 1;
  EXPECT_STATUS(cg_address_book_check(book, &bad, true, false, &w), CG_STATUS_INVALID_UTF8);
  bad.display_name = NULL;
  bad.display_name_len = 3;
  EXPECT_STATUS(cg_address_book_check(book, &bad, true, false, &w), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_address_book_check(NULL, &stranger, true, false, &w), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_address_book_check(book, NULL, true, false, &w), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_address_book_new(NULL, 2, &refused), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_recipient_warnings_len(NULL, &n), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_recipient_warnings_get(NULL, 0, &item), CG_STATUS_NULL_POINTER);
  cg_recipient_warnings_free(NULL);
  cg_address_book_free(book);
  cg_address_book_free(NULL);
}

static void test_group_review(void) {
  const uint64_t day = 86400u;
  uint8_t org_seed[32];
  memset(org_seed, 3, sizeof org_seed);
  cg_bytes org_pk = {NULL, 0};
  EXPECT_STATUS(cg_wipe_org_public_key(org_seed, 32, &org_pk), CG_STATUS_OK);
  cg_device_keys *a = NULL, *b = NULL;
  EXPECT_STATUS(cg_device_keys_generate(&a), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_generate(&b), CG_STATUS_OK);
  cg_bytes attested = {NULL, 0}, unattested = {NULL, 0};
  EXPECT_STATUS(cg_device_keys_issue_card(a, NULL, "alice@nhs.net", 13, "Dr Alice", 8, NOW, NOW + 365 * day, org_seed,
                                          32, &attested),
                CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_issue_card(b, NULL, "bob@nhs.net", 11, "Nurse Bob", 9, NOW, NOW + 365 * day, NULL, 0,
                                          &unattested),
                CG_STATUS_OK);
  cg_group_member members[2] = {{attested.data, attested.len, NOW, false},
                                {unattested.data, unattested.len, NOW + 10 * day, false}};
  cg_group group = {"Ward 7", 6, CG_GROUP_PURPOSE_SOCIAL, members, 2, NOW + day, 3};
  cg_group_rules rules;
  EXPECT_STATUS(cg_group_rules_default(&rules), CG_STATUS_OK);
  CHECK(rules.review_interval_secs == 90 * day && rules.max_members == 50);
  rules.max_members = 1;

  cg_group_findings *f = NULL;
  size_t n = 0;
  EXPECT_STATUS(cg_group_review(&group, NOW + 200 * day, org_pk.data, 32, false, NULL, 0, &rules, &f), CG_STATUS_OK);
  EXPECT_STATUS(cg_group_findings_len(f, &n), CG_STATUS_OK);
  /* bob: not attested, unverified, joined since review; overdue; mixed; too large */
  CHECK(n == 6);
  const char *expected[6] = {"member_not_attested", "member_unverified", "member_joined_since_review",
                             "review_overdue", "social_and_clinical_mixed", "too_large"};
  for (size_t i = 0; i < n && i < 6; i++) {
    cg_group_finding item;
    EXPECT_STATUS(cg_group_findings_get(f, i, &item), CG_STATUS_OK);
    CHECK(strcmp(item.code, expected[i]) == 0);
    if (i < 3) CHECK(item.staff_id != NULL && strcmp(item.staff_id, "bob@nhs.net") == 0);
    if (i == 2) CHECK(item.at == NOW + 10 * day);
    if (i == 3) CHECK(item.staff_id == NULL && item.at == NOW + day + 90 * day);
    if (i == 4) CHECK(item.count == 3);
    if (i == 5) CHECK(item.count == 2 && item.max == 1);
  }
  cg_group_finding item;
  EXPECT_STATUS(cg_group_findings_get(f, n, &item), CG_STATUS_INVALID_ARGUMENT);
  cg_group_findings_free(f);
  f = NULL;

  /* past alice's card expiry, default rules, clinical group reviewed recently */
  group.purpose = CG_GROUP_PURPOSE_CLINICAL;
  group.members_len = 1;
  group.last_review = NOW + 380 * day;
  EXPECT_STATUS(cg_group_review(&group, NOW + 400 * day, org_pk.data, 32, true, NULL, 0, NULL, &f), CG_STATUS_OK);
  EXPECT_STATUS(cg_group_findings_len(f, &n), CG_STATUS_OK);
  CHECK(n == 1);
  EXPECT_STATUS(cg_group_findings_get(f, 0, &item), CG_STATUS_OK);
  CHECK(strcmp(item.code, "member_card_expired") == 0 && item.at == NOW + 365 * day);
  cg_group_findings_free(f);
  f = NULL;

  /* bad input */
  uint8_t junk[4] = {1, 2, 3, 4};
  cg_group_member bad_member = {junk, 4, NOW, false};
  cg_group bad = group;
  bad.members = &bad_member;
  EXPECT_STATUS(cg_group_review(&bad, NOW, org_pk.data, 32, false, NULL, 0, NULL, &f), CG_STATUS_MALFORMED);
  CHECK(f == NULL);
  bad = group;
  bad.purpose = 7;
  EXPECT_STATUS(cg_group_review(&bad, NOW, org_pk.data, 32, false, NULL, 0, NULL, &f), CG_STATUS_INVALID_ARGUMENT);
  bad = group;
  bad.members = NULL;
  EXPECT_STATUS(cg_group_review(&bad, NOW, org_pk.data, 32, false, NULL, 0, NULL, &f), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_group_review(&group, NOW, org_pk.data, 31, false, NULL, 0, NULL, &f), CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_group_review(&group, NOW, org_pk.data, 32, false, junk, 4, NULL, &f), CG_STATUS_MALFORMED);
  EXPECT_STATUS(cg_group_review(NULL, NOW, NULL, 0, false, NULL, 0, NULL, &f), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_group_review(&group, NOW, NULL, 0, false, NULL, 0, NULL, NULL), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_group_findings_len(NULL, &n), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_group_rules_default(NULL), CG_STATUS_NULL_POINTER);
  cg_group_findings_free(NULL);
  cg_bytes_free(&attested);
  cg_bytes_free(&unattested);
  cg_bytes_free(&org_pk);
  cg_device_keys_free(a);
  cg_device_keys_free(b);
}

static void test_audit_writing(void) {
  cg_device_keys *keys = NULL, *other = NULL;
  EXPECT_STATUS(cg_device_keys_generate(&keys), CG_STATUS_OK);
  EXPECT_STATUS(cg_device_keys_generate(&other), CG_STATUS_OK);
  cg_bytes pk = {NULL, 0};
  EXPECT_STATUS(cg_audit_device_public_key(keys, &pk), CG_STATUS_OK);
  CHECK(pk.len == 32);
  cg_audit_chain *chain = NULL;
  EXPECT_STATUS(cg_audit_chain_new(keys, &chain), CG_STATUS_OK);

  cg_scanner *scanner = NULL;
  cg_findings *findings = NULL;
  EXPECT_STATUS(cg_scanner_new(&scanner), CG_STATUS_OK);
  const char text[] = "NHS 943 476 5919 for Mr John Smith";
  EXPECT_STATUS(cg_scanner_scan(scanner, text, strlen(text), &findings), CG_STATUS_OK);
  const char reason[] = "Mr John Smith 943 476 5919 needs review";
  cg_audit_record records[2] = {
      {NOW, CG_CONVERSATION_CLINICAL, CG_VERDICT_WARN, CG_AUDIT_ACTION_SENT_MINIMISED, false, findings, NULL, 0},
      {NOW + 5, CG_CONVERSATION_SOCIAL, CG_VERDICT_BLOCK, CG_AUDIT_ACTION_OVERRIDDEN, true, NULL, reason,
       strlen(reason)}};
  cg_bytes seg1 = {NULL, 0}, seg2 = {NULL, 0};
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, records, 2, scanner, &seg1), CG_STATUS_OK);
  /* the reason is minimised before it is stored: no identifier reaches the log */
  CHECK(seg1.len > 0 && !contains(seg1.data, seg1.len, "Smith"));
  CHECK(!contains(seg1.data, seg1.len, "5919"));

  /* persist and restore the chain, then seal a second segment */
  cg_bytes state = {NULL, 0};
  EXPECT_STATUS(cg_audit_chain_state(chain, &state), CG_STATUS_OK);
  CHECK(state.len == 64);
  cg_audit_chain *restored = NULL;
  EXPECT_STATUS(cg_audit_chain_restore(state.data, state.len, &restored), CG_STATUS_OK);
  EXPECT_STATUS(cg_audit_chain_seal(restored, keys, records, 1, NULL, &seg2), CG_STATUS_OK);
  cg_bytes head = {NULL, 0};
  EXPECT_STATUS(cg_audit_chain_head(restored, &head), CG_STATUS_OK);
  CHECK(head.len == 40);

  size_t log_len = seg1.len + seg2.len;
  uint8_t *log = malloc(log_len);
  memcpy(log, seg1.data, seg1.len);
  memcpy(log + seg1.len, seg2.data, seg2.len);
  uint64_t n_records = 0;
  cg_bytes got_head = {NULL, 0};
  EXPECT_STATUS(cg_audit_log_verify(log, log_len, pk.data, pk.len, head.data, head.len, &n_records, &got_head),
                CG_STATUS_OK);
  CHECK(n_records == 3);
  cg_bytes_free(&got_head);

  cg_audit_summary *summary = NULL;
  EXPECT_STATUS(cg_audit_log_summarise(log, log_len, pk.data, pk.len, head.data, head.len, &summary), CG_STATUS_OK);
  cg_audit_totals totals;
  EXPECT_STATUS(cg_audit_summary_totals(summary, &totals), CG_STATUS_OK);
  CHECK(totals.records == 3 && totals.warned == 2 && totals.blocked == 1 && totals.allowed == 0);
  CHECK(totals.emergency == 1 && totals.segments == 2 && totals.first_time == NOW && totals.last_time == NOW + 5);
  size_t counts = 0;
  EXPECT_STATUS(cg_audit_summary_len(summary, &counts), CG_STATUS_OK);
  uint64_t nhs = 0, overridden = 0;
  for (size_t i = 0; i < counts; i++) {
    cg_audit_count c;
    EXPECT_STATUS(cg_audit_summary_get(summary, i, &c), CG_STATUS_OK);
    if (strcmp(c.category, "kind") == 0 && strcmp(c.name, "nhs_number") == 0) nhs = c.count;
    if (strcmp(c.category, "action") == 0 && strcmp(c.name, "overridden") == 0) overridden = c.count;
  }
  CHECK(nhs == 2 && overridden == 1);
  cg_audit_count c;
  EXPECT_STATUS(cg_audit_summary_get(summary, counts, &c), CG_STATUS_INVALID_ARGUMENT);
  cg_audit_summary_free(summary);
  summary = NULL;

  /* the chain knows it is two segments long: cutting the second off is detected */
  EXPECT_STATUS(cg_audit_log_summarise(log, seg1.len, pk.data, pk.len, head.data, head.len, &summary),
                CG_STATUS_TRUNCATED);
  CHECK(summary == NULL);
  /* segments swapped */
  uint8_t *swapped = malloc(log_len);
  memcpy(swapped, seg2.data, seg2.len);
  memcpy(swapped + seg2.len, seg1.data, seg1.len);
  EXPECT_STATUS(cg_audit_log_summarise(swapped, log_len, pk.data, pk.len, NULL, 0, &summary), CG_STATUS_TAMPERED);
  log[seg1.len - 70] ^= 1;
  EXPECT_STATUS(cg_audit_log_summarise(log, log_len, pk.data, pk.len, NULL, 0, &summary), CG_STATUS_BAD_SIGNATURE);
  EXPECT_STATUS(cg_audit_log_summarise(log, log_len, pk.data, 31, NULL, 0, &summary), CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_audit_log_summarise(log, log_len, pk.data, pk.len, head.data, 39, &summary),
                CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_audit_log_summarise(log, log_len, pk.data, pk.len, NULL, 0, NULL), CG_STATUS_NULL_POINTER);

  /* bad input when writing; the chain is unchanged on failure */
  cg_bytes bad = {NULL, 0};
  EXPECT_STATUS(cg_audit_chain_seal(chain, other, records, 1, NULL, &bad), CG_STATUS_KEY_REVOKED);
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, records, 0, NULL, &bad), CG_STATUS_MALFORMED);
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, &records[1], 1, NULL, &bad), CG_STATUS_NULL_POINTER);
  cg_audit_record wrong = records[0];
  wrong.action = 9;
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, &wrong, 1, NULL, &bad), CG_STATUS_INVALID_ARGUMENT);
  wrong = records[0];
  wrong.verdict = 9;
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, &wrong, 1, NULL, &bad), CG_STATUS_INVALID_ARGUMENT);
  wrong = records[0];
  wrong.conversation = 0;
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, &wrong, 1, NULL, &bad), CG_STATUS_INVALID_ARGUMENT);
  wrong = records[1];
  wrong.reason = "\xff";
  wrong.reason_len = 1;
  EXPECT_STATUS(cg_audit_chain_seal(chain, keys, &wrong, 1, scanner, &bad), CG_STATUS_INVALID_UTF8);
  CHECK(bad.data == NULL && bad.len == 0);
  cg_bytes same_state = {NULL, 0};
  EXPECT_STATUS(cg_audit_chain_state(chain, &same_state), CG_STATUS_OK);
  CHECK(same_state.len == state.len && memcmp(same_state.data, state.data, state.len) == 0);
  cg_bytes_free(&same_state);
  cg_audit_chain *refused = NULL;
  EXPECT_STATUS(cg_audit_chain_restore(state.data, 63, &refused), CG_STATUS_MALFORMED);
  CHECK(refused == NULL);
  EXPECT_STATUS(cg_audit_chain_restore(NULL, 64, &refused), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_audit_chain_new(NULL, &refused), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_audit_chain_head(NULL, &bad), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_audit_device_public_key(NULL, &bad), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_audit_summary_totals(NULL, &totals), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_audit_summary_len(NULL, &counts), CG_STATUS_NULL_POINTER);
  cg_audit_summary_free(NULL);
  cg_audit_chain_free(NULL);

  free(log);
  free(swapped);
  cg_bytes_free(&seg1);
  cg_bytes_free(&seg2);
  cg_bytes_free(&state);
  cg_bytes_free(&head);
  cg_bytes_free(&pk);
  cg_findings_free(findings);
  cg_scanner_free(scanner);
  cg_audit_chain_free(chain);
  cg_audit_chain_free(restored);
  cg_device_keys_free(keys);
  cg_device_keys_free(other);
}

static void test_trust_pack_settings(void) {
  size_t pack_len, org_len, order_len;
  uint8_t *bytes = unhex(TRUST_PACK_HEX, &pack_len);
  uint8_t *org = unhex(TRUST_ORG_HEX, &org_len);
  uint8_t *order = unhex(EMERGENCY_ORDER_HEX, &order_len);
  uint64_t accepted = 6;
  cg_trust_pack *pack = NULL;
  EXPECT_STATUS(cg_trust_pack_open(bytes, pack_len, org, org_len, TRUST_NOW, &accepted, &pack), CG_STATUS_REPLAYED);
  CHECK(pack == NULL);
  accepted = 5;
  EXPECT_STATUS(cg_trust_pack_open(bytes, pack_len, org, org_len, TRUST_NOW, &accepted, &pack), CG_STATUS_OK);
  cg_trust_pack_info info;
  EXPECT_STATUS(cg_trust_pack_get_info(pack, &info), CG_STATUS_OK);
  CHECK(info.version == 5 && info.issued_at == 1779913600u && info.expires_at == 1782592000u);
  CHECK(info.emergency_allowed && info.emergency_max_secs == 43200u);
  CHECK(info.group_rules.review_interval_secs == 5184000u && info.group_rules.max_members == 40);
  CHECK(info.notification_detail == CG_NOTIFICATION_DETAIL_CONVERSATION);
  CHECK(info.approved_platforms_len == 2 && info.hospital_number_patterns_len == 1 && info.allow_list_len == 1);
  const char *entry = NULL;
  EXPECT_STATUS(cg_trust_pack_list_get(pack, CG_TRUST_PACK_LIST_APPROVED_PLATFORMS, 1, &entry), CG_STATUS_OK);
  CHECK(entry != NULL && strcmp(entry, "Pando") == 0);
  EXPECT_STATUS(cg_trust_pack_list_get(pack, CG_TRUST_PACK_LIST_HOSPITAL_NUMBER_PATTERNS, 0, &entry), CG_STATUS_OK);
  CHECK(entry != NULL && strcmp(entry, "\\bRA7\\d{6}\\b") == 0);
  EXPECT_STATUS(cg_trust_pack_list_get(pack, CG_TRUST_PACK_LIST_ALLOW_LIST, 0, &entry), CG_STATUS_OK);
  CHECK(entry != NULL && strcmp(entry, "Florence Nightingale ward") == 0);
  EXPECT_STATUS(cg_trust_pack_list_get(pack, CG_TRUST_PACK_LIST_ALLOW_LIST, 1, &entry), CG_STATUS_INVALID_ARGUMENT);
  CHECK(entry == NULL);
  EXPECT_STATUS(cg_trust_pack_list_get(pack, 3, 0, &entry), CG_STATUS_INVALID_ARGUMENT);
  cg_retention_policy r;
  EXPECT_STATUS(cg_trust_pack_retention(pack, CG_CONVERSATION_CLINICAL, &r), CG_STATUS_OK);
  CHECK(r.has_after_send && r.after_send == 604800u && r.has_after_read && r.after_read == 86400u);
  CHECK(r.transcription_hold_max == 259200u);
  EXPECT_STATUS(cg_trust_pack_retention(pack, CG_CONVERSATION_SOCIAL, &r), CG_STATUS_OK);
  CHECK(r.has_after_send && r.after_send == 86400u && !r.has_after_read);
  EXPECT_STATUS(cg_trust_pack_retention(pack, 0, &r), CG_STATUS_INVALID_ARGUMENT);
  bool approved = false;
  EXPECT_STATUS(cg_trust_pack_platform_approved(pack, " microsoft teams ", 17, &approved), CG_STATUS_OK);
  CHECK(approved);
  EXPECT_STATUS(cg_trust_pack_platform_approved(pack, "WhatsApp", 8, &approved), CG_STATUS_OK);
  CHECK(!approved);
  EXPECT_STATUS(cg_trust_pack_platform_approved(pack, "\xff", 1, &approved), CG_STATUS_INVALID_UTF8);

  /* the pack's scanner finds the Trust's hospital numbers */
  cg_scanner *scanner = NULL;
  EXPECT_STATUS(cg_trust_pack_scanner(pack, &scanner), CG_STATUS_OK);
  cg_findings *findings = NULL;
  const char text[] = "Patient RA7123456 on Florence Nightingale ward";
  EXPECT_STATUS(cg_scanner_scan(scanner, text, strlen(text), &findings), CG_STATUS_OK);
  size_t n = 0;
  EXPECT_STATUS(cg_findings_len(findings, &n), CG_STATUS_OK);
  CHECK(n == 1);
  cg_findings_free(findings);
  cg_scanner_free(scanner);

  /* emergency order: in force at TRUST_NOW, ended later, refused when tampered */
  cg_emergency_order em;
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, org_len, pack, TRUST_NOW, &em), CG_STATUS_OK);
  CHECK(em.id == 9 && em.starts_at == 1779996400u && em.ends_at == 1780003600u && em.pack_version == 5);
  CHECK(em.in_force);
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, org_len, pack, 1779990000u, &em), CG_STATUS_OK);
  CHECK(!em.in_force);
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, org_len, pack, 1780003600u, &em), CG_STATUS_EXPIRED);
  CHECK(em.id == 0 && !em.in_force);
  order[10] ^= 1;
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, org_len, pack, TRUST_NOW, &em),
                CG_STATUS_BAD_SIGNATURE);
  EXPECT_STATUS(cg_emergency_order_verify(order, 20, org, org_len, pack, TRUST_NOW, &em), CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, 31, pack, TRUST_NOW, &em), CG_STATUS_INVALID_LENGTH);
  EXPECT_STATUS(cg_emergency_order_verify(order, order_len, org, org_len, NULL, TRUST_NOW, &em),
                CG_STATUS_NULL_POINTER);

  /* bad input for the accessors */
  EXPECT_STATUS(cg_trust_pack_get_info(NULL, &info), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_trust_pack_get_info(pack, NULL), CG_STATUS_NULL_POINTER);
  EXPECT_STATUS(cg_trust_pack_scanner(NULL, &scanner), CG_STATUS_NULL_POINTER);
  cg_trust_pack *other = NULL;
  EXPECT_STATUS(cg_trust_pack_open(bytes, 10, org, org_len, TRUST_NOW, NULL, &other), CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_trust_pack_open(bytes, pack_len, org, org_len, TRUST_NOW, NULL, NULL), CG_STATUS_NULL_POINTER);
  cg_trust_pack_free(pack);
  cg_trust_pack_free(NULL);
  free(bytes);
  free(org);
  free(order);
}

int main(void) {
  test_version_and_status_names();
  test_buffers_and_keys();
  test_vault();
  test_vault_persistence();
  test_vault_key_lifetime();
  test_remote_wipe();
  test_envelope();
  test_detect_and_policy();
  test_retention();
  test_identity();
  test_threads();
  test_notification_text();
  test_audit_log();
  test_trust_pack();
  test_address_book();
  test_group_review();
  test_audit_writing();
  test_trust_pack_settings();
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("careguard C client: %d checks passed (careguard %s)\n", checks, cg_version());
  return 0;
}
