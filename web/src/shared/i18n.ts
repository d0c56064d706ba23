// i18n.ts - every string the app shows comes from a catalogue (i18n/*.json); the language is
// ?lang= first, then the browser's languages (its Accept-Language), then the business's
// locale. A missing key is reported on the console (the browser tests fail on it) and shown
// as the key itself.
import en from "./i18n/en.json";
import fr from "./i18n/fr.json";

export type Catalogue = Record<string, string>;
export const CATALOGUES: Record<string, Catalogue> = { en, fr };
export const LANGUAGES = Object.keys(CATALOGUES);

type Choice = { lang: string; locale: string };
let current: Choice = { lang: "en", locale: "en" };

/** The language and the locale for Intl, by the rule above; `businessLocale` may be empty. */
export function chooseLanguage(search: string, browser: readonly string[], businessLocale: string): Choice {
	const candidates: string[] = [];
	const q = new URLSearchParams(search).get("lang");
	if (q) candidates.push(q);
	candidates.push(...browser);
	if (businessLocale) candidates.push(businessLocale);
	for (const c of candidates) {
		let tag: string;
		try {
			tag = Intl.getCanonicalLocales(c)[0];
		} catch {
			continue;
		}
		const lang = tag.split("-")[0].toLowerCase();
		if (CATALOGUES[lang]) {
			// a bare language takes the business's region when it speaks the same language
			const locale = !tag.includes("-") && businessLocale.toLowerCase().startsWith(lang + "-") ? businessLocale : tag;
			return { lang, locale };
		}
	}
	return { lang: "en", locale: "en" };
}

export function setLanguage(c: Choice): void {
	current = c;
	document.documentElement.lang = c.locale;
}

export function locale(): string {
	return current.locale;
}

export function lang(): string {
	return current.lang;
}

/** The string for `key` with `{name}` placeholders filled. */
export function t(key: string, vars?: Record<string, string | number>): string {
	let s = CATALOGUES[current.lang][key];
	if (s === undefined) {
		console.error("i18n: missing key " + key + " in " + current.lang);
		s = CATALOGUES.en[key] ?? key;
	}
	if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
	return s;
}

/** A counted string: `key.one` / `key.other` (by Intl.PluralRules), `{n}` filled. */
export function tn(key: string, n: number, vars?: Record<string, string | number>): string {
	const cat = new Intl.PluralRules(current.locale).select(n);
	const k = CATALOGUES[current.lang][key + "." + cat] !== undefined ? key + "." + cat : key + ".other";
	return t(k, { n: new Intl.NumberFormat(current.locale).format(n), ...vars });
}

/** `key` when the catalogue has it, else `fallback` (for codes the server may add later). */
export function tOr(key: string, fallback: string, vars?: Record<string, string | number>): string {
	return t(CATALOGUES[current.lang][key] !== undefined ? key : fallback, vars);
}
