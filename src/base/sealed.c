/* sealed.c - the server key and crypto_secretbox sealing of secrets kept in the database. */
#include "base/sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

/* The key file's name beside a SQLite database, and in the state directory. */
#define SEALED_FILE_SQLITE "bookd-secret.key"
#define SEALED_FILE_STATE "secret.key"
/* Longest key text read from a file or the environment (base64 of 32 bytes is 44). */
#define SEALED_TEXT_MAX 256

/* The one server key, written at start (or by tests) and read by any thread after. */
static unsigned char sealed_key[SEALED_KEY_BYTES];
static atomic_bool sealed_loaded;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void sealed_use_key(const unsigned char key[SEALED_KEY_BYTES])
{
	memcpy(sealed_key, key, SEALED_KEY_BYTES);
	atomic_store(&sealed_loaded, true);
}

void sealed_forget(void)
{
	atomic_store(&sealed_loaded, false);
	sodium_memzero(sealed_key, sizeof(sealed_key));
}

bool sealed_ready(void)
{
	return atomic_load(&sealed_loaded);
}

/* Decodes key text (base64, standard or URL-safe alphabet, padding optional, surrounding
 * white space ignored) into key; false unless it is exactly SEALED_KEY_BYTES bytes. */
static bool sealed_decode_key(const char *text, size_t n, unsigned char key[SEALED_KEY_BYTES])
{
	while (n > 0 && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')) {
		text++;
		n--;
	}
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
			 text[n - 1] == '\r'))
		n--;
	static const int variants[] = {sodium_base64_VARIANT_ORIGINAL,
				       sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
				       sodium_base64_VARIANT_URLSAFE,
				       sodium_base64_VARIANT_URLSAFE_NO_PADDING};
	unsigned char out[SEALED_KEY_BYTES + 8];
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		size_t len = 0;
		const char *end = NULL;
		if (sodium_base642bin(out, sizeof(out), text, n, NULL, &len, &end, variants[i]) == 0 &&
		    end == text + n && len == SEALED_KEY_BYTES) {
			memcpy(key, out, SEALED_KEY_BYTES);
			sodium_memzero(out, sizeof(out));
			return true;
		}
	}
	sodium_memzero(out, sizeof(out));
	return false;
}

/* mkdir -p with mode 0700 for the directories that do not exist yet. */
static bool sealed_mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	bool ok = true;
	for (char *s = p + 1; ok; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			ok = false;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return ok;
}

char *sealed_default_path(const char *db_url)
{
	const char *path = NULL;
	if (strncmp(db_url, "sqlite://", 9) == 0)
		path = db_url + 9;
	else if (strncmp(db_url, "sqlite:", 7) == 0)
		path = db_url + 7;
	if (path && *path && strcmp(path, ":memory:") != 0) {
		const char *slash = strrchr(path, '/');
		if (!slash)
			return xstrdup(SEALED_FILE_SQLITE);
		size_t dl = (size_t)(slash - path); /* 0: the root directory */
		size_t n = dl + 1 + sizeof(SEALED_FILE_SQLITE);
		char *out = xmalloc(n);
		snprintf(out, n, "%.*s/%s", (int)dl, path, SEALED_FILE_SQLITE);
		return out;
	}
	const char *state = getenv("STATE_DIRECTORY");
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[4096];
	if (state && *state) {
		/* systemd may give several directories separated by ':'; the first is ours. */
		size_t l = strcspn(state, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int)l, state);
	} else if (xdg && *xdg)
		snprintf(dir, sizeof(dir), "%s/bookd", xdg);
	else
		snprintf(dir, sizeof(dir), "%s/.local/state/bookd", home && *home ? home : ".");
	size_t n = strlen(dir) + 1 + sizeof(SEALED_FILE_STATE);
	char *out = xmalloc(n);
	snprintf(out, n, "%s/%s", dir, SEALED_FILE_STATE);
	return out;
}

/* Reads the key file at path into the key; STATUS_NOT_FOUND when it does not exist. */
static status sealed_read_file(const char *path, unsigned char key[SEALED_KEY_BYTES], char *err,
			       size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return STATUS_NOT_FOUND;
		set_err(err, errlen, "secret key file %s: %s", path, strerror(errno));
		return STATUS_IO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		set_err(err, errlen, "secret key file %s is not a regular file", path);
		return STATUS_INVALID;
	}
	if (st.st_mode & 077) {
		close(fd);
		set_err(err, errlen,
			"secret key file %s can be read by others (mode %03o); chmod 600 it", path,
			(unsigned)(st.st_mode & 0777));
		return STATUS_INVALID;
	}
	char text[SEALED_TEXT_MAX + 1];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, text + n, SEALED_TEXT_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errlen, "secret key file %s: %s", path, strerror(errno));
			close(fd);
			sodium_memzero(text, sizeof(text));
			return STATUS_IO;
		}
		if (r == 0 || (n += (size_t)r) > SEALED_TEXT_MAX)
			break;
	}
	close(fd);
	bool ok = n <= SEALED_TEXT_MAX && sealed_decode_key(text, n, key);
	sodium_memzero(text, sizeof(text));
	if (!ok) {
		set_err(err, errlen, "secret key file %s must hold the base64 of 32 bytes", path);
		return STATUS_INVALID;
	}
	return STATUS_OK;
}

/* Writes all of data to fd; false on error. */
static bool sealed_write_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		data += w;
		n -= (size_t)w;
	}
	return true;
}

/* Makes the key file at path with a fresh key: written to a private temporary file, then
 * linked into place, so no reader ever sees it half-written and, of two processes starting
 * together, one key wins and the other process reads it (STATUS_CONFLICT then). */
static status sealed_create_file(const char *path, unsigned char key[SEALED_KEY_BYTES], char *err,
				 size_t errlen)
{
	const char *slash = strrchr(path, '/');
	if (slash && slash != path) {
		char *dir = xstrndup(path, (size_t)(slash - path));
		bool ok = sealed_mkdirs(dir);
		free(dir);
		if (!ok) {
			set_err(err, errlen, "cannot make the directory of secret key file %s: %s",
				path, strerror(errno));
			return STATUS_IO;
		}
	}
	size_t tn = strlen(path) + 32;
	char *tmp = xmalloc(tn);
	unsigned char rnd[4];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(tmp, tn, "%s.new-%ld-%02x%02x%02x%02x", path, (long)getpid(), rnd[0], rnd[1],
		 rnd[2], rnd[3]);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		set_err(err, errlen, "cannot create secret key file %s: %s", path, strerror(errno));
		free(tmp);
		return STATUS_IO;
	}
	randombytes_buf(key, SEALED_KEY_BYTES);
	char text[sodium_base64_ENCODED_LEN(SEALED_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL) + 1];
	sodium_bin2base64(text, sizeof(text) - 1, key, SEALED_KEY_BYTES,
			  sodium_base64_VARIANT_ORIGINAL);
	size_t tl = strlen(text);
	text[tl++] = '\n';
	bool ok = fchmod(fd, 0600) == 0 && sealed_write_all(fd, text, tl) && fsync(fd) == 0;
	int saved = errno;
	sodium_memzero(text, sizeof(text));
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	status st = STATUS_OK;
	if (!ok) {
		set_err(err, errlen, "cannot write secret key file %s: %s", path, strerror(saved));
		st = STATUS_IO;
	} else if (link(tmp, path) != 0) {
		if (errno == EEXIST) {
			st = STATUS_CONFLICT;
		} else {
			set_err(err, errlen, "cannot create secret key file %s: %s", path,
				strerror(errno));
			st = STATUS_IO;
		}
	}
	unlink(tmp);
	free(tmp);
	if (st != STATUS_OK)
		sodium_memzero(key, SEALED_KEY_BYTES);
	return st;
}

status sealed_load(const char *env_key, const char *key_file, const char *db_url,
		   bool *created_out, char *err, size_t errlen)
{
	if (created_out)
		*created_out = false;
	unsigned char key[SEALED_KEY_BYTES];
	if (env_key && *env_key) {
		if (!sealed_decode_key(env_key, strlen(env_key), key)) {
			set_err(err, errlen,
				"BOOKD_SECRET_KEY must be the base64 of 32 bytes "
				"(for example the output of: head -c 32 /dev/urandom | base64)");
			return STATUS_INVALID;
		}
		sealed_use_key(key);
		sodium_memzero(key, sizeof(key));
		return STATUS_OK;
	}
	char *path = key_file && *key_file ? xstrdup(key_file) : sealed_default_path(db_url);
	status st = sealed_read_file(path, key, err, errlen);
	if (st == STATUS_NOT_FOUND) {
		st = sealed_create_file(path, key, err, errlen);
		if (st == STATUS_OK && created_out)
			*created_out = true;
		else if (st == STATUS_CONFLICT) /* another process made it first: use theirs */
			st = sealed_read_file(path, key, err, errlen);
	}
	free(path);
	if (st == STATUS_OK)
		sealed_use_key(key);
	sodium_memzero(key, sizeof(key));
	return st;
}

status sealed_seal(const char *plain, char **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!sealed_ready()) {
		set_err(err, errlen, "no secret key is loaded");
		return STATUS_INTERNAL;
	}
	size_t pl = strlen(plain);
	if (pl > SEALED_PLAIN_MAX) {
		set_err(err, errlen, "a secret is at most %d bytes", SEALED_PLAIN_MAX);
		return STATUS_INVALID;
	}
	size_t bl = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + pl;
	unsigned char *bin = xmalloc(bl);
	randombytes_buf(bin, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(bin + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, pl,
			      bin, sealed_key);
	size_t pre = strlen(SEALED_PREFIX);
	size_t el = sodium_base64_ENCODED_LEN(bl, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(pre + el);
	memcpy(s, SEALED_PREFIX, pre);
	sodium_bin2base64(s + pre, el, bin, bl, sodium_base64_VARIANT_ORIGINAL);
	free(bin);
	*out = s;
	return STATUS_OK;
}

status sealed_open(const char *box, char **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!sealed_ready()) {
		set_err(err, errlen, "no secret key is loaded");
		return STATUS_INTERNAL;
	}
	size_t pre = strlen(SEALED_PREFIX);
	if (!box || strncmp(box, SEALED_PREFIX, pre) != 0) {
		set_err(err, errlen, "not a sealed secret (it does not start with \"%s\")",
			SEALED_PREFIX);
		return STATUS_INVALID;
	}
	const char *b64 = box + pre;
	size_t b64l = strlen(b64);
	size_t cap = b64l / 4 * 3 + 3;
	unsigned char *bin = xmalloc(cap);
	size_t bl = 0;
	const char *end = NULL;
	if (sodium_base642bin(bin, cap, b64, b64l, NULL, &bl, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + b64l || bl < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(bin);
		set_err(err, errlen, "not a sealed secret (bad base64 or too short)");
		return STATUS_INVALID;
	}
	size_t pl = bl - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *plain = xmalloc(pl + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain, bin + crypto_secretbox_NONCEBYTES,
				       bl - crypto_secretbox_NONCEBYTES, bin, sealed_key) != 0) {
		free(bin);
		free(plain);
		set_err(err, errlen,
			"the secret cannot be opened with this server's key: it was sealed under "
			"another key (BOOKD_SECRET_KEY or the key file changed) or altered");
		return STATUS_FORBIDDEN;
	}
	free(bin);
	plain[pl] = '\0';
	*out = plain;
	return STATUS_OK;
}

void sealed_free(char *plain)
{
	if (!plain)
		return;
	sodium_memzero(plain, strlen(plain));
	free(plain);
}
