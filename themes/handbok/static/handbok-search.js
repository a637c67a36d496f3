/* handbok – the search page (/sok/). Runs the query of the page's GET form
 * in the browser over the pagefind index the build wrote to /pagefind/,
 * and keeps the query and filters in the address so a search can be linked
 * (/sok/?q=incident&kind=rutin). Documents still in force come first;
 * superseded and repealed ones follow, marked. The number of results is
 * announced in the page's live region. Without JavaScript the page says so
 * and links the document register. Uses pagefind's JS API only (search,
 * result.data), not its prebuilt interface. */
const page = document.querySelector(".search-page");
const PAGE_SIZE = 10;

if (page) {
  const form = page.querySelector("form.search-form");
  const input = form.querySelector("input[name=q]");
  const selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  const status = document.getElementById("search-status-text");
  const list = document.getElementById("search-results");
  let pagefind = null;
  /* Whether the index holds superseded or repealed documents at all (read
   * once from pagefind's filter counts): only then does each query run a
   * second search for them, to list them after the documents in force. */
  let hasOutdated = null;
  let run = 0;
  let results = [];
  let shown = 0;
  let more = null;

  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  selects.forEach((s) => {
    const v = params.get(s.name) || "";
    if (Array.prototype.some.call(s.options, (o) => o.value === v)) s.value = v;
  });

  const label = (name, value) => {
    const select = form.querySelector("select[name=" + name + "]");
    const option = select && Array.prototype.find.call(select.options, (o) => o.value === value);
    return option ? option.textContent : value;
  };

  const say = (text) => { status.textContent = text; };

  const count = (n) => {
    const key = n === 0 ? "none" : n === 1 ? "one" : "many";
    return status.dataset[key].replace("{n}", String(n));
  };

  /* pagefind's excerpt is the page's text with <mark> around the matches;
   * anything else that looks like markup is shown as text. */
  const safeExcerpt = (html) => html.replace(/<(?!\/?mark>)/g, "&lt;");

  const filtersNow = () => {
    const filters = {};
    selects.forEach((s) => { if (s.value) filters[s.name] = s.value; });
    return filters;
  };

  const keepInAddress = (q, filters) => {
    const p = new URLSearchParams();
    if (q) p.set("q", q);
    Object.keys(filters).forEach((k) => p.set(k, filters[k]));
    const query = p.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  };

  const item = (data) => {
    const meta = data.meta || {};
    const li = document.createElement("li");
    li.className = "search-result";
    const h = document.createElement("h2");
    h.className = "search-result__title";
    const a = document.createElement("a");
    a.href = data.url;
    a.textContent = meta.title || data.url;
    h.appendChild(a);
    li.appendChild(h);
    const facts = [];
    if (meta.kind) facts.push(["kind", label("kind", meta.kind)]);
    if (meta.doc_id) facts.push(["id", meta.doc_id]);
    if (meta.status) facts.push(["status", label("status", meta.status)]);
    if (meta.standing === "superseded") facts.push(["outdated", list.dataset.superseded]);
    if (meta.standing === "repealed" && !meta.status) facts.push(["outdated", list.dataset.repealed]);
    if (facts.length) {
      const p = document.createElement("p");
      p.className = "search-result__meta";
      facts.forEach(([kind, text]) => {
        const span = document.createElement("span");
        span.className = "search-result__" + kind;
        if (kind === "outdated" || (kind === "status" && meta.standing === "repealed")) {
          span.className += " badge badge-small badge-repealed";
        }
        span.textContent = text;
        p.appendChild(span);
      });
      li.appendChild(p);
    }
    if (meta.standing && meta.standing !== "current") {
      li.classList.add("search-result--outdated");
      const note = document.createElement("p");
      note.className = "search-result__note";
      note.textContent = list.dataset.outdatedNote;
      li.appendChild(note);
    }
    if (data.excerpt) {
      const p = document.createElement("p");
      p.className = "search-result__excerpt";
      p.innerHTML = safeExcerpt(data.excerpt);
      li.appendChild(p);
    }
    return li;
  };

  /* Within the first page of results, a page whose title contains a word
   * of the query comes first (documents in force still before the rest):
   * pagefind scores a word that only starts a longer word in a heading
   * ("samordningsfunktionen" for "samordnare") above the page whose title
   * is the compound the reader meant ("Informationssäkerhetssamordnare"). */
  const titleFirst = (data, q) => {
    const words = q.toLowerCase().split(/\s+/).filter((w) => w.length >= 3);
    if (words.length === 0) return data;
    const rank = (d) => {
      const meta = d.meta || {};
      const title = (meta.title || "").toLowerCase();
      const outdated = meta.standing && meta.standing !== "current" ? 2 : 0;
      return outdated + (words.some((w) => title.includes(w)) ? 0 : 1);
    };
    return data
      .map((d, i) => [rank(d), i, d])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map((x) => x[2]);
  };

  const showMore = async (mine, q) => {
    const next = results.slice(shown, shown + PAGE_SIZE);
    let data = await Promise.all(next.map((r) => r.data()));
    if (mine !== run) return;
    if (shown === 0 && q) data = titleFirst(data, q);
    data.forEach((d) => list.appendChild(item(d)));
    shown += next.length;
    if (more) { more.remove(); more = null; }
    if (shown < results.length) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = form.dataset.more;
      more.addEventListener("click", () => {
        const before = shown;
        showMore(run, "").then(() => {
          const first = list.children[before];
          const link = first && first.querySelector("a");
          if (link) link.focus();
        });
      });
      list.insertAdjacentElement("afterend", more);
    }
  };

  const search = async () => {
    const mine = ++run;
    const q = input.value.trim();
    const filters = filtersNow();
    keepInAddress(q, filters);
    if (!q && Object.keys(filters).length === 0) {
      list.replaceChildren();
      if (more) { more.remove(); more = null; }
      say(status.dataset.empty);
      return;
    }
    if (!pagefind) say(status.dataset.loading);
    try {
      if (!pagefind) {
        // The site's address may name another host than the one serving
        // it (a preview, a copy): pagefind is loaded from this origin.
        pagefind = await import(new URL(page.dataset.pagefind, window.location.href).pathname);
        await pagefind.options({ excerptLength: 24 });
      }
      const term = q || null;
      if (hasOutdated === null) {
        const all = await pagefind.filters();
        const standing = (all && all.standing) || {};
        hasOutdated = Object.keys(standing).some((k) => k !== "current" && standing[k] > 0);
      }
      if (hasOutdated) {
        const [current, outdated] = await Promise.all([
          pagefind.search(term, { filters: Object.assign({}, filters, { standing: "current" }) }),
          pagefind.search(term, {
            filters: Object.assign({}, filters, { standing: { any: ["superseded", "repealed"] } }),
          }),
        ]);
        if (mine !== run) return;
        results = current.results.concat(outdated.results);
      } else {
        // Nothing is superseded or repealed: one search, no ordering to do.
        const found = await pagefind.search(term, { filters });
        if (mine !== run) return;
        results = found.results;
      }
      shown = 0;
      list.replaceChildren();
      await showMore(mine, q);
      if (mine !== run) return;
      say(count(results.length));
    } catch (e) {
      if (mine === run) say(status.dataset.failed);
    }
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    search();
  });
  input.addEventListener("input", search);
  selects.forEach((s) => s.addEventListener("change", search));
  search();
}
