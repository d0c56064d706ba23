/* fuzz_api.c - every route, public and staff, through the real router, authorisation and
 * handlers on an in-memory SQLite holding the demo: input is up to four requests as world.h
 * reads them (method, path and query, headers, body), each input run from the same world.
 * A 5xx or a sanitizer report is a finding. */
#include <stddef.h>
#include <stdint.h>

#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static world *w;
	if (!w)
		w = world_new();
	else
		world_reset(w);
	world_request(w, data, size);
	return 0;
}
