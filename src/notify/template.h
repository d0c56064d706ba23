/* template.h - message templates: "{{name}}" placeholders filled from a list of variables,
 * HTML-escaped in HTML bodies. Deliberately small: no logic in templates. */
#ifndef BOOKD_TEMPLATE_H
#define BOOKD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/status.h"

/* One placeholder's value. */
typedef struct tmpl_var {
	const char *name;  /* "customer_name" */
	const char *value; /* borrowed; NULL renders as "" */
} tmpl_var;

/* The placeholders every template may use (NULL-terminated), for validation and docs. */
extern const char *const TMPL_NAMES[];

/* Appends text with each {{name}} replaced by its value; with html the values (not the
 * template) are HTML-escaped. An unknown name renders as "". STATUS_INVALID when out is
 * full. Pure and thread-safe. */
status tmpl_render(const char *text, const tmpl_var *vars, size_t n, bool html, buf *out);

/* Checks a template: every {{...}} is closed and names a known placeholder. On failure
 * returns STATUS_INVALID and writes the offending name or a reason into why. */
status tmpl_check(const char *text, char *why, size_t whylen);

/* Appends s HTML-escaped (& < > " '). */
status tmpl_escape_html(buf *out, const char *s);

#endif
