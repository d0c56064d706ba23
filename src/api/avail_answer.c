/* avail_answer.c - availability answers through the JSON writer; packed days of slots. */
#include "api/avail_answer.h"

#include <string.h>

#include "base/civil.h"
#include "base/jsonw.h"

/* The last id list written, so the next slot's equal list (slots in a row mostly have the
 * same candidates) is copied from the text already written instead of written again. */
typedef struct ids_memo {
	const char *const *ids; /* the list (borrowed), NULL when none yet */
	size_t n;               /* its entries */
	size_t at, len;         /* where its text ("[...]") lies in the output */
} ids_memo;

static void write_ids(jsonw *w, const char *key, const char *const *ids, size_t n, ids_memo *m)
{
	jsonw_key_plain(w, key, strlen(key));
	buf *b = w->out;
	bool again = m->ids && m->n == n && !w->failed;
	for (size_t i = 0; again && i < n; i++)
		again = ids[i] == m->ids[i];
	if (again && buf_reserve(b, m->len) == STATUS_OK) {
		/* Its value, as jsonw_arr ... jsonw_arr_end would write it (after a key). */
		w->after_key = false;
		memcpy(b->data + b->len, b->data + m->at, m->len);
		b->len += m->len;
		b->data[b->len] = '\0';
		return;
	}
	size_t at = b->len;
	jsonw_arr(w);
	for (size_t i = 0; i < n; i++)
		jsonw_str(w, ids[i]);
	jsonw_arr_end(w);
	*m = (ids_memo){.ids = ids, .n = n, .at = at, .len = b->len - at};
}

/* Instants written in one zone: slots come in order, mostly many to a day, so the date and
 * the offset text are worked out once per day and offset (tz_format_rfc3339's text). */
typedef struct instant_fmt {
	const tz *zone;
	int64_t day;                 /* local day the date text is of; INT64_MIN: none yet */
	char date[11];               /* "YYYY-MM-DD" of day */
	int32_t off;                 /* the offset (whole minutes) offs is of */
	char offs[7];                /* "+HH:MM" */
	bool has_off;                /* offs is set */
	int64_t p_from, p_until;     /* the zone's offset is p_off all through [p_from, p_until) */
	int32_t p_off;               /* (an empty range at first: a lookup, then a compare a slot) */
} instant_fmt;

/* Instants written here, years 1900 to 2999 (the rest go to tz_format_rfc3339). */
#define INSTANT_FAST_MIN (-2208988800LL)
#define INSTANT_FAST_MAX (32503680000LL)

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* The zone's offset at t, as tz_offset_at: looked up again only when t leaves the stretch
 * without a transition that the last lookup began (slots come in order). */
static int32_t fmt_offset(instant_fmt *f, int64_t t)
{
	if (t < f->p_from || t >= f->p_until) {
		f->p_off = tz_offset_at(f->zone, t);
		f->p_from = t;
		f->p_until = tz_next_transition(f->zone, t);
	}
	return f->p_off;
}

/* Writes t as tz_format_rfc3339 does into out (TZ_RFC3339_SIZE). */
static void instant_text(instant_fmt *f, int64_t t, char out[static TZ_RFC3339_SIZE])
{
	if (t < INSTANT_FAST_MIN || t > INSTANT_FAST_MAX) {
		tz_format_rfc3339(f->zone, t, out); /* far from now: its own answer */
		return;
	}
	int32_t off = fmt_offset(f, t);
	off -= off % 60; /* as tz_format_rfc3339: offsets without seconds */
	int64_t wall = t + off, day = floordiv(wall, 86400);
	if (day != f->day) {
		civil_format_date(day, f->date);
		f->day = day;
	}
	if (!f->has_off || off != f->off) {
		int32_t a = off < 0 ? -off : off;
		f->offs[0] = off < 0 ? '-' : '+';
		put2(f->offs + 1, a / 3600);
		f->offs[3] = ':';
		put2(f->offs + 4, a / 60 % 60);
		f->off = off;
		f->has_off = true;
	}
	int sec = (int)(wall - day * 86400);
	memcpy(out, f->date, 10);
	out[10] = 'T';
	put2(out + 11, sec / 3600);
	out[13] = ':';
	put2(out + 14, sec / 60 % 60);
	out[16] = ':';
	put2(out + 17, sec % 60);
	memcpy(out + 19, f->offs, 6);
	out[25] = '\0';
}

static void write_instant(jsonw *w, const char *key, instant_fmt *f, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	instant_text(f, t, s);
	jsonw_key_plain(w, key, strlen(key));
	jsonw_strn(w, s, s[0] ? TZ_RFC3339_SIZE - 1 : 0); /* that long, or empty */
}

/* What write_slot carries from one slot to the next. */
typedef struct slot_memo {
	instant_fmt f;   /* date and offset texts */
	ids_memo prov;   /* the last providers list */
	ids_memo res;    /* the last resources list */
} slot_memo;

static void write_slot(jsonw *w, const avail_slot *s, const avail_answer *ans, slot_memo *sm)
{
	instant_fmt *f = &sm->f;
	jsonw_obj(w);
	write_instant(w, "start", f, s->start);
	write_instant(w, "end", f, s->end);
	write_ids(w, ans->rental ? "resources" : "providers", s->providers, s->n_providers,
		  &sm->prov);
	JSONW_KEY(w, "seats_left");
	jsonw_int(w, s->seats_left);
	if (ans->rental) {
		/* Rentals: a free range; the customer books inside it. */
		write_instant(w, "last_start", f, s->last_start);
		write_ids(w, "providers", s->providers, s->n_providers, &sm->prov);
		if (s->n_returns) {
			/* Overnight items: where the rental may end (each "to" included). */
			JSONW_KEY(w, "returns");
			jsonw_arr(w);
			for (size_t i = 0; i < s->n_returns; i++) {
				jsonw_obj(w);
				write_instant(w, "from", f, s->returns[i].start);
				write_instant(w, "to", f, s->returns[i].end);
				jsonw_obj_end(w);
			}
			jsonw_arr_end(w);
		}
	} else if (s->n_resources) {
		write_ids(w, "resources", s->resources, s->n_resources, &sm->res);
	}
	if (s->session_id) {
		JSONW_KEY(w, "session");
		jsonw_str(w, s->session_id);
	}
	if (ans->prices) {
		/* Dynamic pricing: only answers whose slots' prices differ carry them. */
		JSONW_KEY(w, "price");
		jsonw_obj(w);
		JSONW_KEY(w, "amount_minor");
		jsonw_int(w, ans->prices[s - ans->slots]);
		JSONW_KEY(w, "currency");
		jsonw_str(w, ans->currency);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

status avail_answer_write(buf *out, const avail_answer *ans)
{
	jsonw w;
	jsonw_init(&w, out);
	slot_memo sm = {.f = {.zone = ans->zone, .day = INT64_MIN}};
	jsonw_obj(&w);
	JSONW_KEY(&w, "service");
	jsonw_str(&w, ans->service_id);
	JSONW_KEY(&w, "tz");
	jsonw_str(&w, tz_name(ans->zone));
	JSONW_KEY(&w, "days");
	jsonw_arr(&w);
	size_t k = 0;
	for (int64_t d = ans->from_day; d <= ans->to_day; d++) {
		char date[11];
		civil_format_date(d, date);
		jsonw_obj(&w);
		JSONW_KEY(&w, "date");
		jsonw_strn(&w, date, 10);
		JSONW_KEY(&w, "slots");
		jsonw_arr(&w);
		/* Slots are sorted by start; each belongs to the client-zone date it starts on. */
		while (k < ans->n_slots) {
			int64_t st = ans->slots[k].start;
			int64_t sd = st >= INSTANT_FAST_MIN && st <= INSTANT_FAST_MAX
					     ? floordiv(st + fmt_offset(&sm.f, st), 86400)
					     : tz_local_day(ans->zone, st); /* as tz_local_day */
			if (sd > d)
				break;
			if (sd == d)
				write_slot(&w, &ans->slots[k], ans, &sm);
			k++;
		}
		jsonw_arr_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return jsonw_end(&w);
}

int64_t avail_answer_until(const avail_days_seen *seen, const avail_service *svc,
			   const avail_slot *slots, size_t n, int64_t hi, int64_t to)
{
	int64_t until = seen->until;
	/* The first start offered goes once now + notice passes it. */
	if (n > 0 && slots[0].start - svc->min_notice_s + 1 < until)
		until = slots[0].start - svc->min_notice_s + 1;
	/* A start at or past hi comes in once now + advance reaches it. */
	if (hi < to && seen->next < to && seen->next - svc->max_advance_s < until)
		until = seen->next - svc->max_advance_s;
	return until;
}

/* ---- packed days ---- */

/* The block: pack_head, pack_slot[n_slots], uint32_t id_off[n_ids], uint16_t refs[n_refs],
 * then the ids' bytes, each NUL-terminated. */
typedef struct pack_head {
	uint32_t magic;    /* PACK_MAGIC */
	uint32_t n_slots;  /* entries of pack_slot */
	uint32_t n_ids;    /* distinct ids */
	uint32_t n_refs;   /* provider and resource references of every slot */
	uint32_t str_len;  /* bytes of the ids' text */
	uint32_t pad[3];   /* keeps the slots 16-aligned */
} pack_head;

typedef struct pack_slot {
	int64_t start, end, last_start; /* as avail_slot */
	int32_t seats_left;             /* as avail_slot */
	int32_t session;                /* index of the session id, or -1 */
	uint32_t refs_at;               /* first of its references in refs */
	uint16_t n_providers;           /* references to providers, then ... */
	uint16_t n_resources;           /* ... to resources */
} pack_slot;

#define PACK_MAGIC 0x6b637061u

/* The ids seen so far while packing. */
typedef struct pack_ids {
	const char **v; /* distinct ids, in first-seen order */
	size_t n, cap;  /* entries, room */
	size_t bytes;   /* their text with NULs */
	arena *a;
} pack_ids;

static uint32_t pack_id(pack_ids *ids, const char *s)
{
	for (size_t i = ids->n; i-- > 0;)
		if (ids->v[i] == s || strcmp(ids->v[i], s) == 0)
			return (uint32_t)i;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 32;
		const char **v = arena_alloc_raw(ids->a, cap * sizeof(*v));
		if (ids->n)
			memcpy(v, ids->v, ids->n * sizeof(*v));
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n] = s;
	ids->bytes += strlen(s) + 1;
	return (uint32_t)ids->n++;
}

void *avail_pack(const avail_slot *slots, size_t n, arena *a, size_t *len_out)
{
	pack_ids ids = {.a = a};
	size_t n_refs = 0;
	for (size_t i = 0; i < n; i++)
		n_refs += slots[i].n_providers + slots[i].n_resources;
	pack_slot *ps = arena_alloc_raw(a, (n ? n : 1) * sizeof(*ps));
	uint32_t *refs32 = arena_alloc_raw(a, (n_refs ? n_refs : 1) * sizeof(*refs32));
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const avail_slot *s = &slots[i];
		ps[i] = (pack_slot){.start = s->start, .end = s->end, .last_start = s->last_start,
				    .seats_left = s->seats_left,
				    .session = s->session_id ? (int32_t)pack_id(&ids, s->session_id) : -1,
				    .refs_at = (uint32_t)at, .n_providers = (uint16_t)s->n_providers,
				    .n_resources = (uint16_t)s->n_resources};
		for (size_t k = 0; k < s->n_providers; k++)
			refs32[at++] = pack_id(&ids, s->providers[k]);
		for (size_t k = 0; k < s->n_resources; k++)
			refs32[at++] = pack_id(&ids, s->resources[k]);
	}
	if (ids.n > UINT16_MAX)
		return NULL; /* references are 16 bits */
	size_t len = sizeof(pack_head) + n * sizeof(pack_slot) + ids.n * sizeof(uint32_t) +
		     n_refs * sizeof(uint16_t) + ids.bytes;
	unsigned char *p = arena_alloc_raw(a, len);
	pack_head h = {.magic = PACK_MAGIC, .n_slots = (uint32_t)n, .n_ids = (uint32_t)ids.n,
		       .n_refs = (uint32_t)n_refs, .str_len = (uint32_t)ids.bytes};
	unsigned char *q = p;
	memcpy(q, &h, sizeof(h));
	q += sizeof(h);
	if (n)
		memcpy(q, ps, n * sizeof(pack_slot));
	q += n * sizeof(pack_slot);
	uint32_t off = 0;
	for (size_t i = 0; i < ids.n; i++) {
		memcpy(q, &off, sizeof(off));
		q += sizeof(off);
		off += (uint32_t)strlen(ids.v[i]) + 1;
	}
	for (size_t i = 0; i < n_refs; i++) {
		uint16_t r = (uint16_t)refs32[i];
		memcpy(q, &r, sizeof(r));
		q += sizeof(r);
	}
	for (size_t i = 0; i < ids.n; i++) {
		size_t l = strlen(ids.v[i]) + 1;
		memcpy(q, ids.v[i], l);
		q += l;
	}
	*len_out = len;
	return p;
}

bool avail_unpack(const void *data, size_t len, arena *a, avail_slot **slots_out, size_t *n_out)
{
	*slots_out = NULL;
	*n_out = 0;
	pack_head h;
	if (len < sizeof(h))
		return false;
	memcpy(&h, data, sizeof(h));
	size_t need = sizeof(pack_head) + (size_t)h.n_slots * sizeof(pack_slot) +
		      (size_t)h.n_ids * sizeof(uint32_t) + (size_t)h.n_refs * sizeof(uint16_t) +
		      h.str_len;
	if (h.magic != PACK_MAGIC || need != len)
		return false;
	const unsigned char *p = data;
	const pack_slot *ps = (const pack_slot *)(p + sizeof(h)); /* 16-aligned in the block */
	const unsigned char *offs = (const unsigned char *)(ps + h.n_slots);
	const unsigned char *refs = offs + (size_t)h.n_ids * sizeof(uint32_t);
	const char *text = (const char *)(refs + (size_t)h.n_refs * sizeof(uint16_t));
	const char **idv = arena_alloc_raw(a, (h.n_ids ? h.n_ids : 1) * sizeof(*idv));
	for (uint32_t i = 0; i < h.n_ids; i++) {
		uint32_t o;
		memcpy(&o, offs + i * sizeof(o), sizeof(o));
		idv[i] = text + o;
	}
	const char **refv = arena_alloc_raw(a, (h.n_refs ? h.n_refs : 1) * sizeof(*refv));
	for (uint32_t i = 0; i < h.n_refs; i++) {
		uint16_t r;
		memcpy(&r, refs + i * sizeof(r), sizeof(r));
		refv[i] = idv[r];
	}
	avail_slot *out = arena_alloc_raw(a, (h.n_slots ? h.n_slots : 1) * sizeof(*out));
	for (uint32_t i = 0; i < h.n_slots; i++) {
		const pack_slot *s = &ps[i];
		out[i] = (avail_slot){.start = s->start, .end = s->end, .last_start = s->last_start,
				      .seats_left = s->seats_left,
				      .providers = &refv[s->refs_at], .n_providers = s->n_providers,
				      .resources = &refv[s->refs_at + s->n_providers],
				      .n_resources = s->n_resources,
				      .session_id = s->session >= 0 ? idv[s->session] : NULL};
	}
	*slots_out = out;
	*n_out = h.n_slots;
	return true;
}
