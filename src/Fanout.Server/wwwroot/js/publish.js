// The publish form: POST /topics/{topic}/events with a type and JSON data.

import { describeFailure, request, topicPath } from './api.js';

export class PublishForm {
  constructor({ form, topic, type, data, result }) {
    this.topic = topic;
    this.type = type;
    this.data = data;
    this.result = result;
    form.addEventListener('submit', e => {
      e.preventDefault();
      this.publish();
    });
  }

  async publish() {
    const topic = this.topic.value.trim();
    const type = this.type.value.trim();
    let data;
    try {
      data = JSON.parse(this.data.value);
    } catch (error) {
      this.show('error', `Data is not valid JSON: ${error.message}`);
      return;
    }

    try {
      const result = await request('POST', topicPath(topic) + '/events', type ? { type, data } : { data });
      if (result.ok) {
        this.show('ok', `accepted: seq ${result.json.seq}, id ${result.json.id}`);
      } else {
        this.show('error', describeFailure(result));
      }
    } catch (error) {
      this.show('error', `Node unreachable: ${error.message}`);
    }
  }

  show(kind, text) {
    this.result.textContent = text;
    this.result.dataset.kind = kind;
  }
}
