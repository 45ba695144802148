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

int main(void) {
  test_version_and_status_names();
  test_buffers_and_keys();
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("careguard C client: %d checks passed (careguard %s)\n", checks, cg_version());
  return 0;
}
