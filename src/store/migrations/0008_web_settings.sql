-- Business settings of the booking web app: which sites may frame its booking pages
-- (embed_origins: origins separated by single spaces, the form a CSP source list takes),
-- whether it is listed on the front page when a server has several, its branding, and
-- whether a booking needs the customer's phone.
ALTER TABLE businesses ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE businesses ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN accent_colour TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN require_phone INTEGER NOT NULL DEFAULT 0;
