// The public certificate lookup (GR-10 / GR-11): one GraphQL query to the gateway, no account.
'use strict';

const QUERY = `query Lookup($number: String!, $name: String!) {
  certificateLookup(number: $number, name: $name) {
    number kind state name birthDate schoolName majorCode studyForm entryDate issuedOn statedDuration
  }
}`;

const KINDS = {
  DIPLOMA: ['毕业证书', 'Diploma'],
  COMPLETION: ['结业证书', 'Certificate of completion'],
  STUDY_RECORD: ['写实性学习证明', 'Study record'],
  PARTIAL_STUDY: ['肄业证书', 'Certificate of partial study'],
};
const STATES = {
  VALID: ['有效', 'Valid'],
  EXCHANGED: ['已换发毕业证书', 'Exchanged for a diploma'],
  RECALLED: ['已撤销，宣布无效', 'Recalled and declared void'],
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

function found(c) {
  const rows = [
    [['证书种类', 'Kind'], label(KINDS[c.kind], c.kind)],
    [['证书编号', 'Number'], [c.number]],
    [['姓名', 'Name'], [c.name]],
    [['出生日期', 'Date of birth'], [c.birthDate || '—']],
    [['学校', 'School'], [c.schoolName]],
    [['专业代码', 'Major'], [c.majorCode || '—']],
    [['学习形式', 'Study form'], label(STUDY_FORMS[c.studyForm], c.studyForm)],
    [['入学日期', 'Entered'], [c.entryDate]],
    [['发证日期', 'Issued'], [c.issuedOn]],
  ];
  if (c.statedDuration) rows.push([['修业说明', 'Study stated'], [c.statedDuration]]);
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
