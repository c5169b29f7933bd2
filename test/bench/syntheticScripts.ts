// Deterministic markdown scripts for the bench: an e-learning module that uses every construct the narration rules
// treat specially, and a script whose paragraphs each fill one request-sized chunk.

const TOPICS = [
  'data protection',
  'password hygiene',
  'phishing',
  'secure sharing',
  'incident reporting',
  'remote work',
  'device care',
  'access reviews',
];
const VERBS = ['check', 'confirm', 'review', 'report', 'protect', 'update', 'share', 'store'];
const OBJECTS = [
  'the customer record',
  'a shared folder',
  'your laptop',
  'the sign-in page',
  'an unexpected e-mail',
  'the audit log',
  'a USB stick',
  'the team calendar',
];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function sentence(n: number): string {
  return `Always ${pick(VERBS, n)} ${pick(OBJECTS, n * 3 + 1)} before you ${pick(VERBS, n + 5)} ${pick(OBJECTS, n * 7 + 2)}, e.g. when working on ${pick(TOPICS, n)}.`;
}

function lesson(n: number): string {
  const topic = pick(TOPICS, n);
  return [
    `## Lesson ${n + 1}: ${topic[0]!.toUpperCase()}${topic.slice(1)}`,
    `<!-- Narrator: slow down here; lesson ${n + 1} introduces new terms. -->`,
    `In this lesson you learn about **${topic}**. ${sentence(n)} It takes *about ${3 + (n % 5)} minutes*, and the [policy page](https://intranet.example.com/policy/${n}) has the details. Mr. Lee from the security team explains why it matters: ${sentence(n + 1)}`,
    `![Diagram of ${topic}](images/lesson-${n + 1}.png)`,
    `Before we start, remember three things:\n\n- ${sentence(n + 2)}\n- Use \`Ctrl+L\` to lock your screen, ${pick(OBJECTS, n)} included.\n- ${sentence(n + 3)}`,
    `1. Open the ${pick(OBJECTS, n + 4).replace(/^(the|a|an|your) /, '')} settings.\n2. ${sentence(n + 4)}\n3. Select **Save** and wait for the green tick.`,
    `> **Tip:** ${sentence(n + 5)} If in doubt, ask — it costs nothing.`,
    `| Situation | What to do |\n| --- | --- |\n| ${pick(OBJECTS, n)} | ${pick(VERBS, n)} it |\n| ${pick(OBJECTS, n + 1)} | ${pick(VERBS, n + 1)} it |`,
    '```bash\n' + `audit --lesson ${n + 1} --topic "${topic}"\n` + '```',
    `### Knowledge check ${n + 1}\n\n- [ ] ${sentence(n + 6)}\n- [x] ${sentence(n + 7)}`,
    `That is the end of lesson ${n + 1}. ${sentence(n + 8)} ${sentence(n + 9)}`,
  ].join('\n\n');
}

/** An e-learning module in markdown of exactly `length` characters (front matter, lessons, then a closing paragraph). */
export function eLearningScript(length: number): string {
  let script = [
    '---',
    'title: "Module 3: Working safely with data"',
    'audience: new staff',
    'duration: 25 min',
    '---',
    '',
    '# Module 3: Working safely with data',
    '',
    'Welcome to module three.',
  ].join('\n');
  for (let n = 0; ; n++) {
    const next = `\n\n${lesson(n)}`;
    if (script.length + next.length > length - 200) break;
    script += next;
  }
  let closing = '\n\n## Summary\n\n';
  for (let n = 0; closing.length < length; n++) closing += `${sentence(n)} `;
  return script + closing.slice(0, length - script.length);
}

/**
 * A script of `count` paragraphs of about 1,500 characters each, all different, so a chunker at 2,000 characters
 * makes exactly one chunk per paragraph (two never fit together). Every other one says "second" (the fake server's other clip).
 * `tag` goes into every paragraph's first sentence: another tag is another script, none of it in the cache.
 */
export function oneChunkPerParagraphScript(count: number, tag = ''): string {
  const paragraphs: string[] = [];
  for (let p = 0; p < count; p++) {
    let text = `Part ${p + 1}${tag}${p % 2 === 1 ? ', the second voice' : ''}.`;
    for (let n = p; text.length < 1500; n++) text += ` ${sentence(n)}`;
    paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}
