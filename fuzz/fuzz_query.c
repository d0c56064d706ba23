/* fuzz_query.c - paths and query strings: the input is a request target (path and query),
 * sent as GET by the demo's owner through the real router and handlers (world.h), so every
 * reader of path parameters and query arguments (dates, instants, zones, ids, cursors,
 * limits, filters) sees it. A 5xx or a sanitizer report is a finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static world *w;
	if (memchr(data, '\n', size))
		return 0; /* one line: the target */
	if (!w)
		w = world_new();
	else
		world_reset(w);
	uint8_t *req = malloc(size + 6);
	memcpy(req, "GET ", 4);
	memcpy(req + 4, data, size);
	memcpy(req + 4 + size, "\n\n", 2);
	world_request(w, req, size + 6);
	free(req);
	return 0;
}
