/* router.c - matches a path against route patterns segment by segment. */
#include "http/router.h"

#include <string.h>

#include "base/arena.h"
#include "base/text.h"

/* Percent-decodes one path segment; NULL for a malformed escape or an encoded NUL or '/'
 * (a '/' in the result can only have been encoded: segments are split on it). */
static char *segment_decode(arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	long len = text_percent_decode(s, n, out);
	if (len < 0 || memchr(out, '\0', (size_t)len) || memchr(out, '/', (size_t)len))
		return NULL;
	return out;
}

/* Matches one pattern; fills params on success. */
static bool pattern_match(const char *pat, const char *path, arena *a, router_params *out)
{
	out->count = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		const char *pe = strchr(pat, '/');
		size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
		const char *se = strchr(path, '/');
		size_t sl = se ? (size_t)(se - path) : strlen(path);
		if (pl >= 2 && pat[0] == '{' && pat[pl - 1] == '}') {
			if (sl == 0 || out->count == ROUTER_MAX_PARAMS)
				return false;
			char *v = segment_decode(a, path, sl);
			if (!v)
				return false;
			out->names[out->count] = arena_strndup(a, pat + 1, pl - 2);
			out->values[out->count] = v;
			out->count++;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return false;
		}
		pat += pl;
		path += sl;
	}
	return *pat == '\0' && *path == '\0';
}

int router_match(const http_route *routes, size_t n, const char *method, const char *path,
		 arena *a, router_params *out)
{
	int result = -1;
	router_params tmp;
	for (size_t i = 0; i < n; i++) {
		if (!pattern_match(routes[i].pattern, path, a, &tmp))
			continue;
		bool same = strcmp(routes[i].method, method) == 0 ||
			    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0);
		if (same) {
			*out = tmp;
			return (int)i;
		}
		result = -2;
	}
	return result;
}
