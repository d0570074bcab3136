// A few of CoreDNS' Prometheus metrics (the `prometheus :9153` plugin), in the text format.

type Labels = Record<string, string>;

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const k = JSON.stringify(labels);
    const v = this.values.get(k);
    if (v) v.value += by;
    else this.values.set(k, { labels, value: by });
  }

  get(labels: Labels): number {
    return this.values.get(JSON.stringify(labels))?.value ?? 0;
  }

  render(): string {
    let s = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const { labels, value } of this.values.values()) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      s += `${this.name}{${l}} ${value}\n`;
    }
    return s;
  }
}

export class DnsMetrics {
  readonly requests = new Counter('coredns_dns_requests_total', 'Counter of DNS requests made per zone, protocol and family.');
  readonly responses = new Counter('coredns_dns_responses_total', 'Counter of response status codes.');
  readonly forwardRequests = new Counter('coredns_forward_requests_total', 'Counter of requests made per upstream.');
  readonly forwardResponses = new Counter('coredns_forward_responses_total', 'Counter of responses received per upstream.');

  constructor(private readonly server: string) {}

  request(proto: 'udp' | 'tcp', family: 4 | 6, type: string): void {
    this.requests.inc({ server: this.server, zone: '.', view: '', proto, family: family === 6 ? '2' : '1', type });
  }

  response(rcode: string, plugin: string): void {
    this.responses.inc({ server: this.server, zone: '.', view: '', rcode, plugin });
  }

  forwarded(to: string, result: string): void {
    this.forwardRequests.inc({ to });
    this.forwardResponses.inc({ to, rcode: result });
  }

  /** Responses with this rcode name, over all plugins. */
  responsesWith(rcode: string): number {
    return ['kubernetes', 'forward', ''].reduce((n, plugin) => n + this.responses.get({ server: this.server, zone: '.', view: '', rcode, plugin }), 0);
  }

  render(): string {
    return (
      '# HELP coredns_build_info A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.\n' +
      '# TYPE coredns_build_info gauge\n' +
      `coredns_build_info{goversion="node${process.versions.node}",revision="minik",version="1.11.1"} 1\n` +
      this.requests.render() +
      this.responses.render() +
      this.forwardRequests.render() +
      this.forwardResponses.render()
    );
  }
}
