/** The shared report renderer on hostile and ordinary input (no browser: the Chromium tests drive the page). */
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  LEADS_FORMAT,
  type FaceLead,
  type LeadsDoc,
  leadsCsv,
  rateWords,
  renderReportDocument,
  reviewScript,
  sortFaceLeads,
} from '../../src/report/index.js';

const EVIL = '<img src=x onerror=alert(1)>';
const face = (photo: string, scores: number[], caseId = 'case-1'): FaceLead => ({
  id: `${photo}#1`,
  photo,
  face: 1,
  box: { x: 1, y: 2, width: 30, height: 40 },
  issues: ['small', 'blurred'],
  candidates: scores.map((score, i) => ({
    rank: i + 1,
    caseId: i === 0 ? caseId : `other-${i}`,
    templateId: `${caseId}#t${i}`,
    score,
    match: score >= 0.31,
    falseMatchRate: { adult: 2.3e-4, childAdult: 1 / 800 },
    casePhoto: `${caseId}/a.jpg`,
    caseIssues: [],
    fields: { note: EVIL },
  })),
});

function doc(faces: FaceLead[]): LeadsDoc {
  return {
    format: LEADS_FORMAT,
    version: 1,
    id: 'r-1',
    generatedAt: '2026-12-02T10:00:00.000Z',
    gallery: { name: 'cases.rfg', cases: 3, photos: 4 },
    threshold: 0.31434,
    k: 3,
    searched: { photos: 2, of: 2, interrupted: false },
    noFace: [],
    problems: [{ photo: EVIL, problem: 'not a readable image' }],
    faces,
  };
}

describe('report renderer', () => {
  it('escapes every name and field, and embeds only data: images', () => {
    const d = doc([face(`street/${EVIL}.jpg`, [0.5, 0.1], `case ${EVIL}`)]);
    const html = renderReportDocument(d, {
      images: { [`face:${d.faces[0]!.id}`]: 'https://example.invalid/x.png', [`case:${d.faces[0]!.candidates[0]!.templateId}`]: 'data:image/jpeg;base64,AAAA' },
    });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('example.invalid');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('content:url(data:image/jpeg;base64,AAAA)');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('small face, blurred');
    expect(html).toContain('about 1 in 4,300');
  });

  it('says rates as "about 1 in N", rounded to two figures', () => {
    expect(rateWords(2.3e-4)).toBe('about 1 in 4,300');
    expect(rateWords(1 / 3000)).toBe('about 1 in 3,000');
    expect(rateWords(0.07)).toBe('about 1 in 14');
    expect(rateWords(0.6)).toBe('about 1 in 2 or more');
    expect(rateWords(undefined)).toBe('not calibrated');
    // At the calibration's floor no impostor scored as high: the rate is not measured, only bounded.
    expect(rateWords(1 / 3000, 3000)).toBe('1 in 3,000 or fewer');
    expect(rateWords(1 / 2000, 3000)).toBe('about 1 in 2,000');
  });

  it('sorts the strongest lead first and keeps that order in the CSV, formulas defused', () => {
    const sorted = sortFaceLeads([face('b.jpg', [0.2]), face('a.jpg', []), face('c.jpg', [0.7, 0.1], '=HYPERLINK("x")')]);
    expect(sorted.map((f) => f.photo)).toEqual(['c.jpg', 'b.jpg', 'a.jpg']);
    const lines = leadsCsv(doc(sorted), new Map([['c.jpg#1|=HYPERLINK("x")', 'same']])).trimEnd().split('\r\n');
    expect(lines[1]).toBe(`1,c.jpg,1,"1,2,30,40",small blurred,1,"'=HYPERLINK(""x"")",0.7000,true,2.30e-4,1.25e-3,"'=HYPERLINK(""x"")/a.jpg",same`);
    expect(lines[3]!.startsWith('2,b.jpg,1,')).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it('inlines the review script as a classic script that parses on its own', () => {
    const src = reviewScript('rf-review', { reportId: '</script><b>' });
    expect(src).not.toMatch(/<\/script/i);
    expect(() => new Script(src)).not.toThrow();
  });
});
