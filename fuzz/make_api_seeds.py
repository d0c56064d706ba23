"""make_api_seeds.py - writes the seed corpus of fuzz_api (fuzz/corpus/api/): one valid
request (or a short chain) per route, naming ids the fuzz world really has. The world's ids
are a function of its random draws (fuzz/world.c), so they change only when the demo or the
setup changes: then run this again (after `make FUZZ=1 build/fuzz/fuzz-bin/fuzz_api`).

usage: /usr/bin/python3 fuzz/make_api_seeds.py
"""
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "fuzz", "fuzz-bin", "fuzz_api")
OUT = os.path.join(ROOT, "fuzz", "corpus", "api")
B = "/api/v1/businesses/demo"
P = "/api/v1/public/demo"


def run(text):
    """The answers (code, body) of the requests in text, served by the fuzz world."""
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(text)
    env = dict(os.environ, FUZZ_TRACE="full")
    p = subprocess.run([BIN, f.name], capture_output=True, text=True, env=env)
    os.unlink(f.name)
    out = []
    for line in p.stderr.splitlines():
        m = re.match(r"fuzz: \S+ \S* -> (\d+) (.*)$", line)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


def first_json(text):
    code, body = run(text)[0]
    return json.loads(body) if body.startswith("{") else {}


def main():
    bk = first_json("GET %s/bookings?limit=3\n\n" % B)["bookings"]
    booking, reference = bk[0]["id"], bk[0]["reference"]
    sessions = [s["id"] for s in first_json("GET %s/sessions\n\n" % B)["sessions"]]
    schedules = [s["id"] for s in first_json("GET %s/schedules\n\n" % B)["schedules"]]
    closures = [s["id"] for s in first_json("GET %s/closures\n\n" % B)["closures"]]
    users = {u["email"]: u["id"] for u in first_json("GET %s/users\n\n" % B)["users"]}
    tokens = [t["id"] for t in first_json("GET %s/tokens\n\n" % B)["tokens"]]
    customer = first_json("GET %s/customers\n\n" % B)["customers"][0]["id"]
    book = ('POST %s/bookings\nAs: nobody\nContent-Type: application/json\n\n{"service":"haircut",'
            '"start":"2026-12-02T10:00:00+01:00","customer":{"name":"Ada","email":"ada@example.com",'
            '"phone":"+447700900000","sms":true},"notes":"hi"}' % P)
    made = json.loads(run(book)[0][1])
    ref, mt = made["reference"], made["manage_token"]
    admin = users["admin@demo.test"]
    seeds = {
        "healthz": "GET /healthz\nAs: nobody\n\n",
        "metrics": "GET /metrics\nAs: nobody\n\n",
        "public_business": "GET %s\nAs: nobody\n\n" % P,
        "public_services": "GET %s/services\nAs: nobody\n\n" % P,
        "availability": "GET %s/availability?service=haircut&from=2026-12-02&to=2026-12-04&tz=Europe/Paris\n"
                        "As: nobody\n\n" % P,
        "availability_rental": "GET %s/availability?service=bike&from=2026-12-02&to=2026-12-02&seats=1\n"
                               "As: nobody\n\n" % P,
        "availability_class": "GET %s/availability?service=yoga&from=2026-12-01&to=2026-12-31&provider=chloe"
                              "&seats=3\nAs: nobody\n\n" % P,
        "events": "GET %s/events\nAs: nobody\n\n" % P,
        "hold": 'POST %s/holds\nAs: nobody\n\n{"service":"haircut","start":"2026-12-03T14:00:00Z",'
                '"provider":"alice","seats":1}\n---\nDELETE %s/holds/hld_x\nAs: nobody\n\n' % (P, P),
        "hold_then_book": 'POST %s/holds\nAs: nobody\n\n{"service":"bike","start":"2026-12-03T10:00:00Z",'
                          '"end":"2026-12-03T12:00:00Z"}\n---\nGET %s/bookings?status=held\n\n' % (P, B),
        "book_public": book,
        "book_rental": 'POST %s/bookings\nAs: nobody\nIdempotency-Key: k-1\n\n{"service":"bike",'
                       '"start":"2026-12-03T10:00:00Z","end":"2026-12-03T13:30:00Z","seats":1,'
                       '"customer":{"name":"Bo","email":"bo@example.com"}}' % P,
        "book_class": 'POST %s/bookings\nAs: nobody\n\n{"service":"yoga","start":"2026-12-02T18:00:00Z",'
                      '"seats":2,"customer":{"name":"Cy","email":"cy@example.com"}}' % P,
        "manage": book + "\n---\nGET /api/v1/public/bookings/%s\nAs: nobody\nAuthorization: Bearer %s\n\n"
                         "\n---\nPOST /api/v1/public/bookings/%s/reschedule\nAs: nobody\nAuthorization: "
                         'Bearer %s\n\n{"start":"2026-12-04T11:00:00Z","provider":"ben"}\n---\nPOST '
                         "/api/v1/public/bookings/%s/cancel\nAs: nobody\nAuthorization: Bearer %s\n\n"
                         '{"reason":"ill"}' % (ref, mt, ref, mt, ref, mt),
        "manage_ics": book + "\n---\nGET /api/v1/public/bookings/%s/calendar.ics\nAs: nobody\n"
                             "Authorization: Bearer %s\n\n" % (ref, mt),
        "manage_page": book + "\n---\nGET /b/%s?t=%s\nAs: nobody\n\n" % (ref, mt),
        "confirm_link": book + "\n---\nGET /b/%s/confirm?t=%s\nAs: nobody\n\n\n---\nPOST /b/%s/confirm?t=%s\n"
                               "As: nobody\n\n\n---\nPOST /api/v1/public/bookings/%s/confirm?t=%s\nAs: nobody\n\n"
                               % (ref, mt, ref, mt, ref, mt),
        "opt_out": "GET /api/v1/public/notifications/opt-out?b=%s&t=abc\nAs: nobody\n\n\n---\nPOST "
                   "/api/v1/public/notifications/opt-out?b=%s&t=abc\nAs: nobody\n\n" % (ref, ref),
        "explain": "GET %s/availability/explain?service=haircut&start=2026-12-02T10:00:00Z&provider=alice\n\n" % B,
        "login": 'POST /api/v1/auth/login\nAs: nobody\nContent-Type: application/json\n\n{"business":"demo",'
                 '"email":"owner@demo.test","password":"fuzz-password-1"}',
        "me_logout": "GET /api/v1/auth/me\n\n\n---\nPOST /api/v1/auth/logout\n\n",
        "users": 'GET %s/users\n\n\n---\nPOST %s/users\n\n{"email":"new@demo.test","role":"staff","name":"New",'
                 '"password":"longenough1"}\n---\nPATCH %s/users/%s\n\n{"role":"staff"}\n---\nDELETE %s/users/%s\n\n'
                 % (B, B, B, admin, B, admin),
        "tokens": 'POST %s/tokens\nAs: admin\n\n{"name":"ci"}\n---\nGET %s/tokens\nAs: token\n\n\n---\n'
                  "DELETE %s/tokens/%s\n\n" % (B, B, B, tokens[0]),
        "audit": "GET %s/audit?limit=5\n\n" % B,
        "business": 'GET %s\nAs: staff\n\n\n---\nPATCH %s\nAs: admin\n\n{"name":"Harbour","timezone":'
                    '"America/New_York","hold_ttl_s":300,"auto_no_show":true,"no_show_grace_s":600}' % (B, B),
        "config_get": "GET %s/config\n\n" % B,
        "services": 'GET %s/services\n\n\n---\nPOST %s/services\nAs: admin\n\n{"id":"trim","name":"Trim",'
                    '"kind":"appointment","duration_s":900,"price_minor":1000,"slot_interval_s":900,'
                    '"providers":["alice"]}\n---\nPATCH %s/services/trim\n\n{"duration_s":1800,"refund_tiers":'
                    '[{"min_notice_s":3600,"refund_percent":50}]}\n---\nDELETE %s/services/haircut\n\n' % (B, B, B, B),
        "service_get": "GET %s/services/bike\nAs: staff\n\n" % B,
        "providers": 'POST %s/providers\n\n{"id":"dan","name":"Dan","email":"dan@example.com","timezone":'
                     '"Europe/Berlin"}\n---\nGET %s/providers/dan\n\n\n---\nPATCH %s/providers/dan\n\n'
                     '{"user_id":"%s","active":false}\n---\nDELETE %s/providers/alice\n\n' % (B, B, B, admin, B),
        "providers_list": "GET %s/providers\nAs: staff\n\n" % B,
        "resources": 'POST %s/resources\n\n{"id":"car","name":"Car","capacity":2}\n---\nGET %s/resources\n\n'
                     '\n---\nPATCH %s/resources/car\n\n{"capacity":3}\n---\nDELETE %s/resources/bike-1\n\n' % (B, B, B, B),
        "resource_get": "GET %s/resources/room-1\n\n" % B,
        "schedules": 'POST %s/schedules\nAs: staff\n\n{"owner":"provider:alice","weekday":"sun","start":"10:00",'
                     '"end":"14:00","valid_from":"2026-12-01","valid_to":"2027-03-31"}\n---\nGET %s/schedules?'
                     'owner=provider:alice\n\n\n---\nPATCH %s/schedules/%s\n\n{"end":"23:59"}\n---\nDELETE '
                     "%s/schedules/%s\n\n" % (B, B, B, schedules[0], B, schedules[1]),
        "schedule_get": "GET %s/schedules/%s\n\n" % (B, schedules[0]),
        "overrides": 'POST %s/overrides\n\n{"owner":"business","date":"2026-12-05","start":"10:00","end":"12:00"}'
                     "\n---\nGET %s/overrides?owner=business&from=2026-12-01&to=2026-12-31\n\n\n---\nPOST "
                     '%s/overrides\n\n{"owner":"resource:room-1","date":"2026-12-06","closed":true}' % (B, B, B),
        "time_off": 'POST %s/time-off\nAs: staff\n\n{"owner":"provider:alice","start":"2026-12-02T09:00:00Z",'
                    '"end":"2026-12-02T11:00:00Z","reason":"dentist"}\n---\nGET %s/time-off?owner=provider:alice'
                    "&from=2026-12-01&to=2026-12-31\nAs: staff\n\n" % (B, B),
        "closures": 'POST %s/closures\n\n{"date":"2026-12-24","name":"Eve"}\n---\nGET %s/closures?from=2026-12-01'
                    "&to=2027-01-31\n\n\n---\nGET %s/closures/%s\n\n\n---\nPATCH %s/closures/%s\n\n"
                    '{"name":"Christmas"}' % (B, B, B, closures[0], B, closures[0]),
        "closure_delete": "DELETE %s/closures/%s\n\n" % (B, closures[1]),
        "sessions": 'POST %s/sessions\n\n{"service":"yoga","provider":"chloe","resource":"studio","start":'
                    '"2026-12-09T07:00:00Z","capacity":8}\n---\nGET %s/sessions?service=yoga&provider=chloe&'
                    "from=2026-12-01&to=2026-12-31\n\n\n---\nPATCH %s/sessions/%s\n\n{\"capacity\":20}\n---\n"
                    "DELETE %s/sessions/%s\n\n" % (B, B, B, sessions[0], B, sessions[1]),
        "session_get": "GET %s/sessions/%s\n\n" % (B, sessions[0]),
        "bookings_list": "GET %s/bookings?from=2026-12-01&to=2026-12-07&status=confirmed,held&provider=alice&"
                         "service=haircut&source=web&limit=2\nAs: staff\n\n" % B,
        "bookings_cursor": "GET %s/bookings?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z&limit=1&cursor=abc"
                           "\n\n" % B,
        "bookings_csv": "GET %s/bookings.csv?from=2026-12-01&to=2026-12-31\n\n" % B,
        "booking_get": "GET %s/bookings/%s\n\n\n---\nGET %s/bookings/%s\nAs: staff\n\n" % (B, booking, B, reference),
        "booking_staff": 'POST %s/bookings\n\n{"service":"haircut","provider":"alice","start":"2026-12-02T14:00:00Z",'
                         '"source":"phone","override":true,"customer":{"name":"Di","email":"di@example.com"}}' % B,
        "booking_actions": "POST %s/bookings/%s/confirm\n\n\n---\nPOST %s/bookings/%s/check-in\n\n\n---\nPOST "
                           "%s/bookings/%s/complete\n\n\n---\nPOST %s/bookings/%s/no-show\n\n"
                           % (B, booking, B, booking, B, booking, B, booking),
        "booking_cancel": 'POST %s/bookings/%s/cancel\n\n{"reason":"closed"}' % (B, booking),
        "booking_reschedule": 'POST %s/bookings/%s/reschedule\n\n{"start":"2026-12-03T15:00:00Z","provider":"ben",'
                              '"override":false}\n---\nPOST %s/bookings/%s/rebook\n\n{"start":"2026-12-04T15:00:00Z"}'
                              % (B, booking, B, booking),
        "booking_resend": "POST %s/bookings/%s/resend\n\n{}\n---\nPOST %s/bookings/%s/resend\nAs: staff\n\n"
                          % (B, booking, B, reference),
        "customers": "GET %s/customers?q=maya&limit=5\n\n" % B,
        "customers_csv": "GET %s/customers.csv?q=ma\n\n" % B,
        "customer_edit": 'GET %s/customers/%s\n\n\n---\nPATCH %s/customers/%s\n\n{"name":"Maya P","notes":"tea"}'
                         % (B, customer, B, customer),
        "analytics": "GET %s/analytics?from=2026-11-01&to=2026-12-31&group=week&by=provider\n\n" % B,
        "notifications": "GET %s/notifications?booking=%s\n\n\n---\nPOST %s/notifications/ntf_x/retry\n\n"
                         % (B, booking, B),
        "templates": 'PUT %s/notification-templates/confirmed/email\n\n{"subject":"Hi {{customer_name}}",'
                     '"body_text":"At {{start}}","body_html":"<p>{{manage_link}}</p>"}\n---\nPOST '
                     '%s/notification-templates/confirmed/email/preview\n\n{"booking":"%s"}\n---\nDELETE '
                     "%s/notification-templates/confirmed/email\n\n\n---\nGET %s/notification-templates\n\n"
                     % (B, B, booking, B, B),
        "template_sms": 'PUT %s/notification-templates/reminder/sms\n\n{"body_text":"{{service_name}} '
                        '{{start_time}}"}' % B,
        "notification_settings": 'GET %s/notification-settings\n\n\n---\nPATCH %s/notification-settings\n\n'
                                 '{"reminder_offsets_s":[86400,3600],"quiet_start":"22:00","quiet_end":"07:00"}'
                                 % (B, B),
    }
    for name, text in seeds.items():
        with open(os.path.join(OUT, name), "w") as f:
            f.write(text)
    print("make_api_seeds: %d seeds written" % len(seeds))


if __name__ == "__main__":
    main()
