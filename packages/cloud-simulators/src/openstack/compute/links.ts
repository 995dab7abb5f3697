/**
 * Nova's links: `self` under the versioned root, `bookmark` under the unversioned one, both with
 * the project id when the request URL carried it (nova.api.openstack.common.ViewBuilder).
 */
export class NovaLinks {
  /** e.g. `http://host/compute/v2.1` or `http://host/compute/v2.1/<project>`. */
  readonly api: string;
  /** e.g. `http://host/compute` or `http://host/compute/<project>`. */
  readonly bookmark: string;

  /** `root` is the compute root (without `/v2.1`). */
  constructor(root: string, projectId: string | undefined) {
    const project = projectId === undefined ? '' : `/${projectId}`;
    this.api = `${root}/v2.1${project}`;
    this.bookmark = `${root}${project}`;
  }

  of(collection: string, id: string): Array<{ rel: string; href: string }> {
    return [
      { rel: 'self', href: `${this.api}/${collection}/${id}` },
      { rel: 'bookmark', href: this.bookmarkOf(collection, id) },
    ];
  }

  bookmarkOf(collection: string, id: string): string {
    return `${this.bookmark}/${collection}/${id}`;
  }

  /** The `next` link of a page: every query parameter kept (sorted, as Nova orders them), the marker replaced. */
  next(collection: string, query: URLSearchParams, marker: string): Array<{ rel: string; href: string }> {
    const params = new Map<string, string>();
    for (const [name, value] of query) params.set(name, value);
    params.set('marker', marker);
    const encoded = [...params.keys()]
      .sort()
      .map((name) => `${formEncode(name)}=${formEncode(params.get(name) ?? '')}`)
      .join('&');
    return [{ rel: 'next', href: `${this.api}/${collection}?${encoded}` }];
  }
}

/** Python's urlencode: quote_plus on names and values. */
function formEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
