import { describe, expect, it } from 'vitest';
import { SubjectTemplates } from '../../src/gallery/subjects.js';

describe('SubjectTemplates', () => {
  it('tracks the largest template count through adds and removals', () => {
    const s = new SubjectTemplates();
    expect(s.maxPerSubject).toBe(0);
    s.add('a', 'a#1');
    s.add('a', 'a#2');
    s.add('a', 'a#2'); // the same template twice counts once
    s.add('b', 'b#1');
    expect(s.maxPerSubject).toBe(2);
    expect(s.subjects).toBe(2);
    s.add('b', 'b#2');
    s.add('b', 'b#3');
    expect(s.maxPerSubject).toBe(3);
    s.removeSubject('b');
    expect(s.maxPerSubject).toBe(2);
    expect(s.templatesOf('b')).toEqual([]);
    s.removeSubject('a');
    s.removeSubject('missing');
    expect(s.maxPerSubject).toBe(0);
    expect(s.subjects).toBe(0);
  });

  it('agrees with a full scan over random operations', () => {
    const s = new SubjectTemplates();
    const truth = new Map<string, Set<string>>();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const subject = `s${Math.floor(rand() * 30)}`;
      if (rand() < 0.1) {
        s.removeSubject(subject);
        truth.delete(subject);
      } else {
        const t = `${subject}#${Math.floor(rand() * 8)}`;
        s.add(subject, t);
        truth.set(subject, (truth.get(subject) ?? new Set()).add(t));
      }
      const max = Math.max(0, ...[...truth.values()].map((x) => x.size));
      expect(s.maxPerSubject).toBe(max);
      expect(s.subjects).toBe(truth.size);
    }
  });
});
