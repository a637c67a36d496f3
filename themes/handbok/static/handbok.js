/* handbok – small progressive enhancements. The site is fully readable
 * without this file: it adds a menu toggle on narrow screens, keyboard- and
 * hover-friendly abbreviation tooltips (Esc closes them), reading-list
 * checkboxes with progress kept in localStorage, and drops the tab stop of
 * table regions that do not need to scroll. */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.add("js");

  function ready(fn) {
    if (doc.readyState !== "loading") fn();
    else doc.addEventListener("DOMContentLoaded", fn);
  }

  /* ---------- Menu toggle (narrow screens) ---------- */
  function setupMenu() {
    var button = doc.querySelector(".nav-toggle");
    var nav = doc.getElementById("site-nav");
    if (!button || !nav) return;
    var narrow = window.matchMedia("(max-width: 47.99em)");
    button.hidden = false;

    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-collapsed", !open);
    }
    function sync() { set(!narrow.matches); }

    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && narrow.matches &&
          button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
    if (narrow.addEventListener) narrow.addEventListener("change", sync);
    else if (narrow.addListener) narrow.addListener(sync);
    sync();
  }

  /* ---------- Abbreviation tooltips (WCAG 1.4.13) ---------- */
  function setupTerms() {
    var terms = doc.querySelectorAll("a.term");
    var open = null;
    Array.prototype.forEach.call(terms, function (link, i) {
      var abbr = link.querySelector("abbr[title]");
      if (!abbr) return;
      var text = abbr.getAttribute("title");
      if (!text) return;
      var tip = doc.createElement("span");
      tip.className = "term-tip";
      tip.id = "term-tip-" + (i + 1);
      tip.setAttribute("role", "tooltip");
      tip.textContent = text;
      link.appendChild(tip);
      link.setAttribute("aria-describedby", tip.id);
      /* The custom tooltip replaces the browser's: keep the expansion for
         assistive technology through aria-describedby. */
      abbr.setAttribute("data-title", text);
      abbr.removeAttribute("title");

      function show() {
        tip.classList.remove("is-dismissed");
        open = tip;
        /* Keep the tooltip inside the viewport. */
        tip.style.left = "0px";
        var rect = tip.getBoundingClientRect();
        var over = rect.right - (doc.documentElement.clientWidth - 8);
        if (over > 0) tip.style.left = (-over) + "px";
      }
      link.addEventListener("mouseenter", show);
      link.addEventListener("focus", show);
      link.addEventListener("mouseleave", function () {
        tip.classList.remove("is-dismissed");
        tip.style.left = "0px";
      });
    });
    doc.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && open) {
        open.classList.add("is-dismissed");
      }
    });
  }

  /* ---------- Table regions: a tab stop only when they scroll ---------- */
  function setupTableRegions() {
    var regions = doc.querySelectorAll(".table-scroll");
    if (!regions.length) return;
    /* Tables from the text share one generic name; add the heading they
       stand under, so each region has a name of its own. */
    var headings = Array.prototype.slice.call(doc.querySelectorAll("main h2, main h3, main h4"));
    Array.prototype.forEach.call(regions, function (r) {
      var label = r.getAttribute("aria-label");
      if (!label) return;
      var before = headings.filter(function (h) {
        return h.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING;
      }).pop();
      if (before) r.setAttribute("aria-label", label + ": " + before.textContent.trim());
    });
    function update() {
      Array.prototype.forEach.call(regions, function (r) {
        var scrolls = r.scrollWidth > r.clientWidth + 1;
        if (scrolls) {
          r.setAttribute("tabindex", "0");
          r.setAttribute("role", "region");
          if (r.dataset.label) r.setAttribute("aria-label", r.dataset.label);
          if (r.dataset.labelledby) r.setAttribute("aria-labelledby", r.dataset.labelledby);
        } else {
          if (r.hasAttribute("aria-label")) r.dataset.label = r.getAttribute("aria-label");
          if (r.hasAttribute("aria-labelledby")) r.dataset.labelledby = r.getAttribute("aria-labelledby");
          r.removeAttribute("tabindex");
          r.removeAttribute("role");
          r.removeAttribute("aria-label");
          r.removeAttribute("aria-labelledby");
        }
      });
    }
    update();
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    /* Opening a <details> can reveal a wide table. */
    Array.prototype.forEach.call(doc.querySelectorAll("details"), function (d) {
      d.addEventListener("toggle", update);
    });
  }

  /* ---------- Reading lists ---------- */
  var STORE = "handbok:read:";
  function storage() {
    try {
      var k = "handbok:test";
      window.localStorage.setItem(k, "1");
      window.localStorage.removeItem(k);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function setupReadingList() {
    var list = doc.querySelector("[data-reading-docs]");
    if (!list) return;
    var store = storage();
    var progress = list.querySelector("[data-reading-progress]");
    var strings = doc.getElementById("reading-strings");
    if (!store || !progress || !strings) return;
    var wanted = list.getAttribute("data-reading-docs").split("|").filter(Boolean);
    if (!wanted.length) return;

    var boxes = [];
    var items = list.querySelectorAll("li");
    Array.prototype.forEach.call(items, function (li) {
      var a = li.querySelector("a[href]");
      /* Only items that begin with the link to the document. */
      if (!a || a !== li.firstElementChild || li.querySelector(".reading-check")) return;
      var path;
      try { path = new URL(a.getAttribute("href"), window.location.href).pathname; }
      catch (e) { return; }
      if (wanted.indexOf(path) < 0) return;
      var label = doc.createElement("label");
      label.className = "reading-check";
      var box = doc.createElement("input");
      box.type = "checkbox";
      box.setAttribute("data-doc", path);
      var span = doc.createElement("span");
      span.textContent = strings.getAttribute("data-mark");
      var hidden = doc.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ": " + a.textContent;
      span.appendChild(hidden);
      label.appendChild(box);
      label.appendChild(span);
      li.appendChild(label);
      boxes.push(box);
    });

    var status = progress.querySelector("[data-reading-status]");
    var bar = progress.querySelector("progress");
    var reset = progress.querySelector("[data-reading-reset]");

    function isRead(path) { return store.getItem(STORE + path) === "1"; }
    function render(announce) {
      var read = wanted.filter(isRead).length;
      boxes.forEach(function (b) {
        var on = isRead(b.getAttribute("data-doc"));
        b.checked = on;
        b.closest("li").classList.toggle("is-read", on);
      });
      var text = strings.getAttribute("data-progress")
        .replace("{read}", String(read))
        .replace("{total}", String(wanted.length));
      if (read === wanted.length) text += " " + strings.getAttribute("data-done");
      if (announce || status.textContent !== text) status.textContent = text;
      if (bar) { bar.max = wanted.length; bar.value = read; }
    }

    boxes.forEach(function (b) {
      b.addEventListener("change", function () {
        var key = STORE + b.getAttribute("data-doc");
        if (b.checked) store.setItem(key, "1");
        else store.removeItem(key);
        render(true);
      });
    });
    if (reset) {
      reset.addEventListener("click", function () {
        wanted.forEach(function (p) { store.removeItem(STORE + p); });
        render(true);
      });
    }
    progress.hidden = false;
    render(false);
  }

  ready(function () {
    setupMenu();
    setupTerms();
    setupTableRegions();
    setupReadingList();
  });
})();
