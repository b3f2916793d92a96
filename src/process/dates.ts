// Dates as the playbook and the people reading the comments need them: timestamps in UTC ISO
// form in the front-matter, calendar values (year, day) counted in the configured time zone.
import { TZDate } from '@date-fns/tz';
import { differenceInCalendarDays, format } from 'date-fns';
import { enUS } from 'date-fns/locale/en-US';
import { ptBR } from 'date-fns/locale/pt-BR';
import type { Locale } from './engagement.js';

/**
 * ISO timestamp of a bot write. Milliseconds are kept: a step entry's time is also its identity
 * (it keys the message posted for it), so two entries must never share one.
 */
export function isoTime(date: Date): string {
  return date.toISOString();
}

/** FTOP next action date (the playbook's rule `end-of-next-year`): 31 December of the year after `entered`, in `timeZone`. */
export function nextActionDateFor(entered: Date, timeZone: string): string {
  return `${new TZDate(entered, timeZone).getFullYear() + 1}-12-31`;
}

const DATE_LOCALES = { en: enUS, 'pt-BR': ptBR } as const;

/**
 * How each language writes a day for a reader: "31 December 2027", "31 de dezembro de 2027".
 * Day first and the month in words, so no reader takes 12/11 for 11/12; never an ordinal.
 */
const DATE_FORMATS = { en: 'd MMMM yyyy', 'pt-BR': "d 'de' MMMM 'de' yyyy" } as const;

/** A date the reader's way ("25 November 2026", "25 de novembro de 2026"), the day counted in `timeZone`. */
export function formatDate(value: string | Date, locale: Locale, timeZone: string): string {
  const options = { locale: DATE_LOCALES[locale] };
  // A bare calendar date (YYYY-MM-DD) is a day, not an instant: show it as that day in any zone.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return format(new Date(y, m - 1, d), DATE_FORMATS[locale], options);
  }
  return format(new TZDate(new Date(value), timeZone), DATE_FORMATS[locale], options);
}

/** Whole calendar days from `since` to `now`, counted in `timeZone`. */
export function daysSince(since: string, now: Date, timeZone: string): number {
  return differenceInCalendarDays(new TZDate(now, timeZone), new TZDate(new Date(since), timeZone));
}
