/* status.c - names of the status codes for logs. */
#include "base/status.h"

const char *status_name(status st)
{
	switch (st) {
	case STATUS_OK: return "ok";
	case STATUS_INVALID: return "invalid";
	case STATUS_NOT_FOUND: return "not_found";
	case STATUS_CONFLICT: return "conflict";
	case STATUS_FORBIDDEN: return "forbidden";
	case STATUS_UNAUTHORIZED: return "unauthorized";
	case STATUS_BUSY: return "busy";
	case STATUS_IO: return "io";
	case STATUS_INTERNAL: return "internal";
	}
	return "unknown";
}
