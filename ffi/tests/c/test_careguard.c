/*
 * C client of the careguard C ABI: calls every function on its success and error
 * paths. scripts/ci.d/30-ffi.sh runs it under valgrind (errors and leaks fail the
 * run) and once built with AddressSanitizer + UndefinedBehaviorSanitizer.
 */
#include "careguard.h"

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

/* A persist callback that stores the blob in a cg_bytes-like struct owned by the test,
   or fails on demand. */
typedef struct {
  uint8_t data[512];
  size_t len;
  int calls;
  int fail;
} store_t;

static int32_t persist_to_store(void *context, const uint8_t *blob, size_t len) {
  store_t *store = (store_t *)context;
  store->calls++;
  if (store->fail || len > sizeof store->data) {
    return 5;
  }
  memcpy(store->data, blob, len);
  store->len = len;
  return 0;
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
  memset(&store, 0, sizeof store);
  cg_unlock_info info;
  cg_bytes reset = {NULL, 0};
  EXPECT_STATUS(cg_vault_unlock(new_blob.data, new_blob.len, "730419", 6, device.data, device.len, NULL, 300,
                                NOW + 500, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WRONG_PIN);
  CHECK(store.calls == 1 && vault == NULL && reset.data == NULL);
  CHECK(info.failures == 1 && info.remaining == 9 && info.retry_at == 0);
  EXPECT_STATUS(cg_vault_status(store.data, store.len, &st), CG_STATUS_OK);
  CHECK(st.failures == 1 && st.last_attempt_at == NOW + 500);
  /* the persisted blob (counter 1) is what the next attempt starts from */
  uint8_t persisted[512];
  size_t persisted_len = store.len;
  memcpy(persisted, store.data, store.len);
  store.fail = 1;
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, NULL, 300,
                                NOW + 501, persist_to_store, &store, &vault, &reset, NULL),
                CG_STATUS_PERSIST_FAILED);
  store.fail = 0;
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, NULL, 0, NULL, 300, NOW + 502,
                                persist_to_store, &store, &vault, &reset, NULL),
                CG_STATUS_DEVICE_SECRET_REQUIRED);
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, NULL, 300,
                                NOW + 503, NULL, NULL, &vault, &reset, NULL),
                CG_STATUS_NULL_POINTER);
  /* a custom policy: no free attempts, 60 s delay: a second try at once is locked out */
  uint64_t delays[1] = {60};
  cg_lockout_policy strict = {0, delays, 1, 3};
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, &strict, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_LOCKED_OUT);
  CHECK(info.failures == 1 && info.retry_at == NOW + 560);
  cg_lockout_policy broken = {0, NULL, 1, 3};
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, &broken, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_NULL_POINTER);
  cg_lockout_policy invalid = {0, NULL, 0, 0};
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, &invalid, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_INVALID_ARGUMENT);
  cg_lockout_policy one_strike = {0, NULL, 0, 1};
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, &one_strike, 300,
                                NOW + 504, persist_to_store, &store, &vault, &reset, &info),
                CG_STATUS_WIPE_REQUIRED);
  CHECK(info.failures == 1);
  EXPECT_STATUS(cg_vault_unlock(persisted, persisted_len, "580207", 6, device.data, device.len, NULL, 300,
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

static void test_remote_wipe(void) {
  uint8_t seed[32];
  memset(seed, 7, sizeof seed);
  cg_bytes pk = {NULL, 0}, order = {NULL, 0}, tomb = {NULL, 0};
  EXPECT_STATUS(cg_wipe_org_public_key(seed, sizeof seed, &pk), CG_STATUS_OK);
  CHECK(pk.len == 32);
  cg_bytes_free(&pk);
  EXPECT_STATUS(cg_wipe_org_public_key(seed, 31, &pk), CG_STATUS_INVALID_LENGTH);
  CHECK(pk.data == NULL);
  EXPECT_STATUS(cg_wipe_org_public_key(seed, sizeof seed, &pk), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_order_sign((const uint8_t *)"device-1", 8, 5, NOW, seed, sizeof seed, &order), CG_STATUS_OK);
  EXPECT_STATUS(cg_wipe_order_sign(NULL, 0, 5, NOW, seed, sizeof seed, &tomb), CG_STATUS_INVALID_LENGTH);

  cg_vault *vault = NULL;
  cg_bytes blob = {NULL, 0};
  EXPECT_STATUS(cg_vault_create("730419", 6, NULL, 0, &MIN_PARAMS, 300, NOW, &vault, &blob), CG_STATUS_OK);
  uint64_t counter = 0, last = 5;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-2", 8,
                                           NULL, vault, NOW, &tomb, &counter),
                CG_STATUS_WRONG_DEVICE);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8,
                                           &last, vault, NOW, &tomb, &counter),
                CG_STATUS_REPLAYED);
  order.data[order.len - 1] ^= 1;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8,
                                           NULL, vault, NOW, &tomb, &counter),
                CG_STATUS_BAD_SIGNATURE);
  order.data[order.len - 1] ^= 1;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, 10, pk.data, pk.len, (const uint8_t *)"device-1", 8, NULL,
                                           vault, NOW, &tomb, &counter),
                CG_STATUS_TRUNCATED);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, 3, (const uint8_t *)"device-1", 8, NULL,
                                           vault, NOW, &tomb, &counter),
                CG_STATUS_INVALID_LENGTH);
  /* nothing was wiped by the refused orders */
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 1), CG_STATUS_OK);
  last = 4;
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8,
                                           &last, vault, NOW + 2, &tomb, &counter),
                CG_STATUS_OK);
  CHECK(counter == 5 && tomb.len > 0);
  EXPECT_STATUS(cg_vault_touch(vault, NOW + 3), CG_STATUS_VAULT_LOCKED);
  cg_blob_status st;
  EXPECT_STATUS(cg_vault_status(tomb.data, tomb.len, &st), CG_STATUS_OK);
  CHECK(st.wiped && st.wipe_reason == CG_WIPE_REASON_REMOTE_ORDER);
  EXPECT_STATUS(cg_wipe_verify_and_execute(order.data, order.len, pk.data, pk.len, (const uint8_t *)"device-1", 8,
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

int main(void) {
  test_version_and_status_names();
  test_buffers_and_keys();
  test_vault();
  test_remote_wipe();
  test_envelope();
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("careguard C client: %d checks passed (careguard %s)\n", checks, cg_version());
  return 0;
}
