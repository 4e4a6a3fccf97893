/*
 * junit.h — a small JUnit XML writer (the format CI systems read): one
 * <testsuites> root, <testsuite> elements with <testcase> children, failures
 * and errors with a message attribute and the same text as content.  All
 * text is escaped for XML 1.0: & < > " ' become entities, control
 * characters other than tab, newline and carriage return and bytes that are
 * not valid UTF-8 become '?'.
 */
#ifndef HAILSIM_JUNIT_H
#define HAILSIM_JUNIT_H

#include <stddef.h>
#include <stdio.h>

enum junit_outcome { JUNIT_PASS, JUNIT_FAILURE, JUNIT_ERROR };

struct junit;

/* Creates `path` and writes the XML declaration and <testsuites>.  NULL + message on failure. */
struct junit *junit_open(const char *path, char *err, size_t errlen);
void junit_suite_begin(struct junit *j, const char *name, const char *file, int tests, int failures,
                       int errors, double seconds);
void junit_case(struct junit *j, const char *classname, const char *name, enum junit_outcome outcome,
                const char *message);
void junit_suite_end(struct junit *j);
/* Closes the root element and the file; -1 on a write error. */
int junit_close(struct junit *j);
/* Writes s escaped for XML text and attribute values. */
void junit_escape(FILE *f, const char *s);

#endif
