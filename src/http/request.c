/* request.c - request accessors, response builders and problem details (RFC 9457). */
#include "http/request.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define HTTP_MAX_RESPONSE (16u << 20)

const char *http_param(const http_req *r, const char *name)
{
	for (int i = 0; i < r->params.count; i++)
		if (strcmp(r->params.names[i], name) == 0)
			return r->params.values[i];
	return NULL;
}

const char *http_query(const http_req *r, const char *name)
{
	if (r->conn)
		return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	for (int i = 0; i < r->nfixed_query; i++)
		if (strcmp(r->fixed_query[i].name, name) == 0)
			return r->fixed_query[i].value;
	return NULL;
}

const char *http_header(const http_req *r, const char *name)
{
	if (r->conn)
		return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
	for (int i = 0; i < r->nfixed_headers; i++)
		if (strcasecmp(r->fixed_headers[i].name, name) == 0)
			return r->fixed_headers[i].value;
	return NULL;
}

static void http_reset_out(http_req *r)
{
	r->out_static = NULL;
	r->out_static_len = 0;
	if (r->out.max == 0)
		buf_init(&r->out, HTTP_MAX_RESPONSE);
	buf_reset(&r->out);
}

void http_add_header(http_req *r, const char *name, const char *value)
{
	if (r->nheaders == r->hcap) { /* never dropped: the room doubles from the arena */
		int cap = r->hcap ? r->hcap * 2 : HTTP_HEADERS_FIRST;
		const char **n = arena_alloc_raw(r->arena, (size_t)cap * sizeof(*n));
		const char **v = arena_alloc_raw(r->arena, (size_t)cap * sizeof(*v));
		for (int i = 0; i < r->nheaders; i++) {
			n[i] = r->hname[i];
			v[i] = r->hvalue[i];
		}
		r->hname = n;
		r->hvalue = v;
		r->hcap = cap;
	}
	r->hname[r->nheaders] = name;
	r->hvalue[r->nheaders] = value;
	r->nheaders++;
}

void http_text(http_req *r, int code, const char *content_type, const char *text, size_t len)
{
	http_reset_out(r);
	r->code = code;
	r->content_type = arena_strdup(r->arena, content_type);
	if (buf_add(&r->out, text, len) != STATUS_OK) {
		http_problem_code(r, 500, STATUS_INTERNAL, "response too large");
	}
}

void http_static(http_req *r, int code, const char *content_type, const void *data, size_t len)
{
	http_reset_out(r);
	r->code = code;
	r->content_type = content_type;
	r->out_static = data;
	r->out_static_len = len;
}

static int json_to_buf(const char *s, size_t n, void *data)
{
	return buf_add(data, s, n) == STATUS_OK ? 0 : -1;
}

void http_json_take(http_req *r, int code, json_t *v)
{
	http_reset_out(r);
	r->code = code;
	r->content_type = "application/json";
	int rc = json_dump_callback(v, json_to_buf, &r->out, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(v); /* stolen */
	if (rc != 0)
		http_problem_code(r, 500, STATUS_INTERNAL, "response too large");
}

buf *http_json_begin(http_req *r, int code)
{
	http_reset_out(r);
	r->code = code;
	r->content_type = "application/json";
	return &r->out;
}

void http_json_end(http_req *r, status wst)
{
	if (wst != STATUS_OK)
		http_problem_code(r, 500, STATUS_INTERNAL, "response too large");
}

json_t *http_body_json(http_req *r)
{
	json_error_t err;
	if (r->body_len == 0) {
		http_problem_code(r, 400, STATUS_INVALID, "a JSON object body is required");
		return NULL;
	}
	json_t *v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		char detail[256];
		snprintf(detail, sizeof(detail), "malformed JSON at line %d column %d: %s", err.line,
			 err.column, err.text);
		http_problem_code(r, 400, STATUS_INVALID, detail);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		http_problem_code(r, 400, STATUS_INVALID, "the body must be a JSON object");
		return NULL;
	}
	return v;
}

void http_field_error_add(http_req *r, const char *field, const char *fmt, ...)
{
	if (r->nerrors >= HTTP_MAX_FIELD_ERRORS)
		return;
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	r->errors[r->nerrors].field = arena_strdup(r->arena, field);
	r->errors[r->nerrors].detail = arena_strdup(r->arena, tmp);
	r->nerrors++;
}

int http_code_of(status st)
{
	switch (st) {
	case STATUS_OK: return 200;
	case STATUS_INVALID: return 422;
	case STATUS_NOT_FOUND: return 404;
	case STATUS_CONFLICT: return 409;
	case STATUS_FORBIDDEN: return 403;
	case STATUS_UNAUTHORIZED: return 401;
	case STATUS_BUSY: return 503;
	case STATUS_IO: return 502;
	case STATUS_INTERNAL: return 500;
	}
	return 500;
}

static const char *http_title(int code)
{
	switch (code) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	}
	return "Error";
}

void http_problem_code(http_req *r, int code, status st, const char *detail)
{
	json_t *p = json_object();
	/* json_object_set_new steals each new value. */
	json_object_set_new(p, "type", json_sprintf("/problems/%s", status_name(st)));
	json_object_set_new(p, "title", json_string(http_title(code)));
	json_object_set_new(p, "status", json_integer(code));
	json_object_set_new(p, "detail", json_string(detail ? detail : ""));
	/* json_string refuses text that is not UTF-8 (a path refused for holding some). */
	json_t *instance = json_string(r->path ? r->path : "/");
	json_object_set_new(p, "instance", instance ? instance : json_string("/"));
	json_object_set_new(p, "request_id", json_string(r->request_id));
	if (r->nerrors > 0) {
		json_t *errs = json_array();
		for (int i = 0; i < r->nerrors; i++)
			json_array_append_new(errs, json_pack("{s:s, s:s}", "field", r->errors[i].field,
							      "detail", r->errors[i].detail));
		json_object_set_new(p, "errors", errs);
	}
	r->result = st;
	http_json_take(r, code, p);
	r->content_type = "application/problem+json";
}

void http_problem(http_req *r, status st, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	http_problem_code(r, http_code_of(st), st, tmp);
}

void http_problem_query(http_req *r, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	http_problem_code(r, 400, STATUS_INVALID, tmp);
}
