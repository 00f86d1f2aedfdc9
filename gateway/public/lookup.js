// The public certificate lookup (GR-10 / GR-11): one GraphQL query to the gateway, no account.
'use strict';

const QUERY = `query Lookup($number: String!, $name: String!) {
  certificateLookup(number: $number, name: $name) {
    number kind state name birthDate schoolName majorCode studyForm entryDate issuedOn statedDuration
    replacedByNumber replacesNumber
    sex principalName results { coursesPassed creditsEarned } heldCertificates { kind title number issuedOn }
  }
}`;

const KINDS = {
  DIPLOMA: ['毕业证书', 'Diploma'],
  COMPLETION: ['结业证书', 'Certificate of completion'],
  STUDY_RECORD: ['写实性学习证明', 'Study record'],
  PARTIAL_STUDY: ['肄业证书', 'Certificate of partial study'],
  CREDENTIAL_CERTIFICATE: ['学历证明书', 'Academic credential certificate'],
};
const STATES = {
  VALID: ['有效', 'Valid'],
  EXCHANGED: ['已换发毕业证书', 'Exchanged for a diploma'],
  RECALLED: ['已撤销，宣布无效', 'Recalled and declared void'],
  REPLACED: ['已遗失，由学历证明书代替', 'Lost; replaced by an academic credential certificate'],
};
const SEXES = { MALE: ['男', 'Male'], FEMALE: ['女', 'Female'] };
const HELD_KINDS = {
  VOCATIONAL_QUALIFICATION: ['职业资格证书', 'Vocational qualification'],
  SKILL_CERTIFICATE: ['职业技能等级证书', 'Skill certificate'],
};
const STUDY_FORMS = {
  FULL_TIME: ['全日制', 'Full-time'],
  PART_TIME: ['非全日制', 'Part-time'],
  FLEXIBLE: ['弹性学制', 'Flexible study'],
};

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  children.forEach((child) => node.append(child));
  return node;
}
const both = ([zh, en]) => [zh, ' ', el('span', { lang: 'en' }, en)];
const label = (pair, fallback) => (pair ? both(pair) : [fallback]);

function show(node) {
  const result = document.getElementById('result');
  result.replaceChildren(node);
}

function notFound() {
  show(
    el(
      'div',
      { class: 'card', 'data-outcome': 'not-found' },
      el('p', { class: 'status none' }, ...both(['未查到该证书', 'No such certificate'])),
      el('p', {}, ...both(['请核对证书编号和姓名。', 'Check the number and the name as printed.'])),
    ),
  );
}

// GR-11: the results summary and the certificates held.
function results(r) {
  return [
    `合格课程 ${r.coursesPassed} 门，学分 ${r.creditsEarned}`,
    ' ',
    el('span', { lang: 'en' }, `${r.coursesPassed} courses passed, ${r.creditsEarned} credits`),
  ];
}
function held(certificates) {
  if (certificates.length === 0) return ['—'];
  return [
    el(
      'ul',
      { class: 'held' },
      ...certificates.map((h) =>
        el('li', {}, ...label(HELD_KINDS[h.kind], h.kind), ' ', `${h.title}（${h.number}，${h.issuedOn}）`),
      ),
    ),
  ];
}

function found(c) {
  const rows = [
    [['证书种类', 'Kind'], label(KINDS[c.kind], c.kind)],
    [['证书编号', 'Number'], [c.number]],
    [['姓名', 'Name'], [c.name]],
    [['性别', 'Sex'], c.sex ? label(SEXES[c.sex], c.sex) : ['—']],
    [['出生日期', 'Date of birth'], [c.birthDate || '—']],
    [['学校', 'School'], [c.schoolName]],
    [['校长', 'Principal'], [c.principalName || '—']],
    [['专业代码', 'Major'], [c.majorCode || '—']],
    [['学习形式', 'Study form'], label(STUDY_FORMS[c.studyForm], c.studyForm)],
    [['学习期间', 'Study period'], [`${c.entryDate} – ${c.issuedOn}`]],
    [['入学日期', 'Entered'], [c.entryDate]],
    [['发证日期', 'Issued'], [c.issuedOn]],
    [['成绩', 'Results'], c.results ? results(c.results) : ['—']],
    [['持有证书', 'Certificates held'], held(c.heldCertificates || [])],
  ];
  if (c.statedDuration) rows.push([['修业说明', 'Study stated'], [c.statedDuration]]);
  // GR-8: the credential certificate that stands for a lost one, and the lost one it stands for.
  if (c.replacedByNumber) rows.push([['学历证明书编号', 'Replaced by'], [c.replacedByNumber]]);
  if (c.replacesNumber) rows.push([['代替的证书编号', 'Stands for'], [c.replacesNumber]]);
  show(
    el(
      'div',
      { class: 'card', 'data-outcome': c.state === 'VALID' ? 'valid' : 'other' },
      el('p', { class: `status ${c.state === 'VALID' ? 'valid' : 'other'}` }, ...label(STATES[c.state], c.state)),
      el(
        'table',
        {},
        ...rows.map(([head, value]) => el('tr', {}, el('th', {}, ...both(head)), el('td', {}, ...value))),
      ),
    ),
  );
}

function failed(message) {
  show(el('div', { class: 'card', 'data-outcome': 'error' }, el('p', { class: 'status none' }, message)));
}

async function lookup(event) {
  event.preventDefault();
  const form = event.target;
  const variables = { number: form.number.value.trim(), name: form.name.value.trim() };
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables, operationName: 'Lookup' }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length > 0) {
      failed(body.errors[0].message);
    } else if (body.data && body.data.certificateLookup) {
      found(body.data.certificateLookup);
    } else {
      notFound();
    }
  } catch (error) {
    failed(`查询失败，请稍后再试 / The lookup failed; try again later (${error})`);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('lookup').addEventListener('submit', lookup);
});
