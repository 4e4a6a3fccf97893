/* assert.h — prints "assertion failed" with the place, then exit(1). */
#ifndef LIBTOCK_LIBC_ASSERT_H
#define LIBTOCK_LIBC_ASSERT_H
__attribute__((noreturn)) void __libtock_assert_fail(const char *expr, const char *file, int line,
                                                     const char *func);
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __libtock_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
#endif
