// The three FastTrack regions an engagement belongs to; each has its inactive queue.
export const REGIONS = ['Americas', 'APJ', 'EMEA'] as const;
export type Region = (typeof REGIONS)[number];

/** A region as the language writes it (the seed writes Américas). */
export function regionName(region: Region, locale: 'en' | 'pt-BR'): string {
  return locale === 'pt-BR' && region === 'Americas' ? 'Américas' : region;
}

/** Accepted spellings of each region, compared case-insensitively and without accents. */
export function parseRegion(text: string): Region | null {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  if (folded === 'americas' || folded === 'america') return 'Americas';
  if (folded === 'apj' || folded === 'apac') return 'APJ';
  if (folded === 'emea') return 'EMEA';
  return null;
}
