/* webfiles.c - finds a file of the web app and its precompressed variant, compiled in or on
 * disk; names are checked before any lookup, so nothing outside the app can be named. */
#include "api/webfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/encoding.h"

bool webfiles_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	if (n == 0 || n > 255)
		return false;
	bool seg_start = true;
	for (const char *p = path; *p; p++) {
		char c = *p;
		if (c == '/') {
			if (seg_start) /* a leading '/' or an empty segment */
				return false;
			seg_start = true;
			continue;
		}
		if (seg_start && c == '.')
			return false;
		seg_start = false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return !seg_start; /* no trailing '/' */
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

const char *webfiles_content_type(const char *path)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".webp", "image/webp"},
	    {".jpg", "image/jpeg"},
	    {".ico", "image/x-icon"},
	    {".webmanifest", "application/manifest+json"},
	    {".json", "application/json"},
	    {".map", "application/json"},
	    {".woff2", "font/woff2"},
	    {".woff", "font/woff"},
	    {".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (ends_with(path, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static int embedded_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const webfile_embedded *)elem)->path);
}

static status embedded_find(const char *path, webfile *out)
{
	const webfile_embedded *f = WEBFILES_EMBEDDED_COUNT
	                                ? bsearch(path, WEBFILES_EMBEDDED, WEBFILES_EMBEDDED_COUNT,
	                                          sizeof(WEBFILES_EMBEDDED[0]), embedded_cmp)
	                                : NULL;
	if (!f)
		return STATUS_NOT_FOUND;
	out->data = f->data;
	out->len = f->len;
	out->is_static = true;
	out->etag = f->etag;
	return STATUS_OK;
}

/* Reads dir/path, a regular file, into a; its etag is a digest of the bytes. */
static status disk_find(const char *dir, const char *path, arena *a, webfile *out)
{
	const char *full = arena_printf(a, "%s/%s", dir, path);
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES || errno == ELOOP
		           ? STATUS_NOT_FOUND
		           : STATUS_IO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return STATUS_NOT_FOUND;
	}
	if ((size_t)st.st_size > WEBFILES_MAX_SIZE) {
		close(fd);
		return STATUS_INVALID;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *data = arena_alloc(a, size + 1);
	while (got < size) {
		ssize_t k = read(fd, data + got, size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (got != size)
		return STATUS_IO; /* it changed while read: the next request reads it again */
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)data, size, NULL, 0);
	char hex[sizeof(h) * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	out->data = data;
	out->len = size;
	out->is_static = false;
	out->etag = arena_printf(a, "\"%s\"", hex);
	return STATUS_OK;
}

static status one_find(const char *dir, const char *path, arena *a, webfile *out)
{
	return dir ? disk_find(dir, path, a, out) : embedded_find(path, out);
}

status webfiles_find(const char *dir, const char *path, const char *accept_encoding, arena *a,
                     webfile *out)
{
	memset(out, 0, sizeof(*out));
	if (!webfiles_path_ok(path) || ends_with(path, ".gz") || ends_with(path, ".br"))
		return STATUS_NOT_FOUND;
	static const struct {
		const char *coding;
		const char *suffix;
	} variants[] = {{"br", ".br"}, {"gzip", ".gz"}};
	status st = STATUS_NOT_FOUND;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		if (!http_accepts_encoding(accept_encoding, variants[i].coding))
			continue;
		st = one_find(dir, arena_printf(a, "%s%s", path, variants[i].suffix), a, out);
		if (st == STATUS_OK) {
			out->encoding = variants[i].coding;
			break;
		}
		if (st != STATUS_NOT_FOUND)
			return st;
	}
	if (st == STATUS_NOT_FOUND)
		st = one_find(dir, path, a, out);
	if (st == STATUS_OK)
		out->content_type = webfiles_content_type(path);
	return st;
}
