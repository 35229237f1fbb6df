// Words and dates for people: enum values become labels, timestamps become UTC dates and "in 3 days".

const WORDS = { PROTEGE: "Protégé", protege: "protégé" };

export function label(value) {
  if (!value) return "";
  if (WORDS[value]) return WORDS[value];
  const words = String(value).toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
});
const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function when(iso) {
  return iso ? `${DATE_TIME.format(new Date(iso))} UTC` : "";
}

export function day(iso) {
  return iso ? DATE.format(new Date(iso)) : "";
}

const UNITS = [
  ["day", 86400000],
  ["hour", 3600000],
  ["minute", 60000],
];

export function relative(iso, now = Date.now()) {
  const delta = new Date(iso).getTime() - now;
  const size = Math.abs(delta);
  for (const [unit, ms] of UNITS) {
    if (size >= ms) {
      const n = Math.floor(size / ms);
      const text = `${n} ${unit}${n === 1 ? "" : "s"}`;
      return delta < 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return "now";
}

// ISSUE_NOTICE → issueNotice: each standing event has the mutation of its name (schema.graphql).
export function mutationOf(event) {
  return event.toLowerCase().replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

export function inputTypeOf(event) {
  const name = mutationOf(event);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
}
