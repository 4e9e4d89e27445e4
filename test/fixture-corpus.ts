/**
 * A synthetic but realistic documentation corpus for end-to-end tests: titles are seeded combinations of a task
 * ("Configuring", "Debugging", ...) and a subject ("the cache", "API tokens", ...), each with a few sentences
 * built from words of its task and subject. Titles share words (as real documentation titles do), so finding a
 * page by its title needs the whole title, not one word.
 */
import { seededRandom, shuffleInPlace } from '../src/core/seeded-random.ts';

const TASKS: Record<string, string[]> = {
  Configuring: ['settings file', 'default values', 'environment variables', 'config option', 'override'],
  Installing: ['package manager', 'system requirements', 'download', 'setup script', 'first run'],
  Debugging: ['stack trace', 'verbose logging', 'breakpoint', 'reproduce the failure', 'error message'],
  Understanding: ['architecture', 'design choice', 'data flow', 'trade-off', 'concepts'],
  Migrating: ['upgrade path', 'breaking change', 'old version', 'compatibility layer', 'migration script'],
  Securing: ['encryption', 'access control', 'secret rotation', 'audit', 'threat model'],
  Scaling: ['horizontal scaling', 'load balancer', 'throughput', 'sharding', 'capacity planning'],
  Monitoring: ['dashboard', 'alert threshold', 'metrics endpoint', 'health check', 'latency graph'],
  Testing: ['unit test', 'fixture', 'integration suite', 'mock server', 'coverage report'],
  Deploying: ['release pipeline', 'rollback', 'staging environment', 'container image', 'blue-green deploy'],
};

const SUBJECTS: Record<string, string[]> = {
  'the cache': ['cache entries', 'eviction policy', 'hit ratio', 'TTL', 'warm-up'],
  'user accounts': ['sign-up form', 'password reset', 'profile page', 'account deletion', 'roles'],
  'search indexes': ['inverted index', 'reindexing', 'analyzers', 'relevance tuning', 'index aliases'],
  'email notifications': ['SMTP relay', 'templates', 'bounce handling', 'digest emails', 'unsubscribe link'],
  'payment webhooks': ['signature header', 'retries', 'idempotency key', 'invoice events', 'refunds'],
  'image uploads': ['thumbnails', 'file size limit', 'EXIF data', 'CDN', 'resize worker'],
  'background jobs': ['job queue', 'worker pool', 'cron schedule', 'dead letter queue', 'retry backoff'],
  'database backups': ['snapshots', 'point-in-time recovery', 'restore drill', 'retention period', 'WAL archive'],
  'API tokens': ['bearer token', 'token scopes', 'expiry date', 'revocation', 'personal access token'],
  'log rotation': ['logrotate', 'compressed archives', 'disk usage', 'log level', 'syslog'],
  'feature flags': ['gradual rollout', 'kill switch', 'flag targeting', 'experiments', 'stale flags'],
  'rate limits': ['token bucket', '429 responses', 'burst size', 'per-client quota', 'Retry-After header'],
  'single sign-on': ['SAML assertion', 'OpenID Connect', 'identity provider', 'session cookie', 'SCIM provisioning'],
  'the command-line tool': ['subcommands', 'exit codes', 'shell completion', 'flags', 'config precedence'],
  'dark mode': ['color scheme', 'CSS variables', 'contrast ratio', 'prefers-color-scheme', 'theme toggle'],
  'offline sync': ['conflict resolution', 'service worker', 'IndexedDB', 'sync queue', 'last-write-wins'],
  'file permissions': ['chmod', 'ownership', 'umask', 'ACL entries', 'sticky bit'],
  'audit trails': ['event log', 'tamper evidence', 'retention policy', 'actor id', 'compliance export'],
  'CSV exports': ['delimiter', 'UTF-8 BOM', 'column order', 'large exports', 'streaming download'],
  'time zones': ['UTC offsets', 'daylight saving', 'IANA database', 'local display', 'scheduling across zones'],
};

const TEMPLATES = [
  'This page explains {task} {subject} step by step.',
  'Most problems with {subject} come from the {t1}.',
  'Check the {s1} before you change the {t2}.',
  'The {s2} and the {t1} are covered in detail below.',
  'When {subject} misbehave, look at the {s1} first.',
  'Teams usually start with the {t2} and then tune the {s2}.',
  'A common mistake is to ignore the {s3} while {task} {subject}.',
  'See also the notes on the {t3} and the {s3}.',
];

/** One generated document. */
export interface FixtureDoc {
  id: string;
  title: string;
  text: string;
}

/** `n` documents (at most 200) with distinct titles, deterministic for a seed. */
export function fixtureCorpus(n: number, seed = 7): FixtureDoc[] {
  const rng = seededRandom(seed);
  const pairs: [string, string][] = [];
  for (const t of Object.keys(TASKS)) for (const s of Object.keys(SUBJECTS)) pairs.push([t, s]);
  shuffleInPlace(pairs, rng);
  return pairs.slice(0, Math.min(n, pairs.length)).map(([task, subject], i) => {
    const tw = shuffleInPlace(TASKS[task].slice(), rng);
    const sw = shuffleInPlace(SUBJECTS[subject].slice(), rng);
    const fill = (tpl: string) => tpl
      .replace('{task}', task.toLowerCase()).replace('{subject}', subject)
      .replace('{t1}', tw[0]).replace('{t2}', tw[1]).replace('{t3}', tw[2])
      .replace('{s1}', sw[0]).replace('{s2}', sw[1]).replace('{s3}', sw[2]);
    const sentences = shuffleInPlace(TEMPLATES.slice(), rng).slice(0, 4 + rng.int(3)).map(fill);
    const title = `${task} ${subject}`;
    return { id: `${String(i).padStart(3, '0')}-${task.toLowerCase()}-${subject.replace(/\W+/g, '-')}`, title, text: sentences.join(' ') };
  });
}
