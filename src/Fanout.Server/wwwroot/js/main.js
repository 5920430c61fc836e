// Wires the panels together. The page takes ?topic=... to start tailing at once.

import { getToken, setToken } from './api.js';
import { PublishForm } from './publish.js';
import { SubscribersPanel } from './subscribers.js';
import { Tail } from './tail.js';
import { TopicsPanel } from './topics.js';

const $ = id => document.getElementById(id);

const tail = new Tail({ log: $('tail-log'), state: $('tail-state'), counters: $('tail-counters') });
const subscribers = new SubscribersPanel({ table: $('subscribers-table'), body: $('subscribers-body'), note: $('subscribers-note') });
const topics = new TopicsPanel({ body: $('topics-body'), status: $('topics-status'), onPick: startTail });

function startTail(topic) {
  $('tail-topic').value = topic;
  if (!$('publish-topic').value) {
    $('publish-topic').value = topic;
  }
  tail.start(topic);
  history.replaceState(null, '', '?' + new URLSearchParams({ topic }));
}

function showTokenState() {
  $('token-state').textContent = getToken() ? 'token set (this tab only)' : 'no token';
}

function useToken(token) {
  setToken(token);
  $('token').value = '';
  showTokenState();
  subscribers.restart();
  if (tail.topic) {
    startTail(tail.topic);
  }
}

$('token-form').addEventListener('submit', e => {
  e.preventDefault();
  useToken($('token').value.trim());
});
$('token-forget').addEventListener('click', () => useToken(''));

$('tail-form').addEventListener('submit', e => {
  e.preventDefault();
  startTail($('tail-topic').value.trim());
});
$('tail-stop').addEventListener('click', () => tail.stop());
$('tail-clear').addEventListener('click', () => tail.clear());

new PublishForm({
  form: $('publish-form'),
  topic: $('publish-topic'),
  type: $('publish-type'),
  data: $('publish-data'),
  result: $('publish-result'),
});

showTokenState();
topics.start();
subscribers.start();

const query = new URLSearchParams(location.search);
if (query.get('topic')) {
  startTail(query.get('topic'));
}
