// The unit browser of report.html. It reads the units from the JSON block and builds only the nodes a
// list page or a unit view needs. Transcript text is untrusted: it is only ever set with textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.s;
  var U = data.units; // [id, transcript, turn, speaker, [cases], question, text, [themes]]
  var PAGE = 100;
  var byId = new Map();
  for (var i = 0; i < U.length; i++) byId.set(U[i][0], i);
  var state = { list: 0, shown: PAGE, matches: [] };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function fill(select, values) {
    var order = values.map(function (v, i) { return i; });
    order.sort(function (a, b) { return values[a].localeCompare(values[b], data.lang); });
    order.forEach(function (i) {
      var option = el("option", values[i]);
      option.value = String(i);
      select.appendChild(option);
    });
  }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function num(n) { return n.toLocaleString(data.lang === "da" ? "da-DK" : "en-GB"); }
  function who(u) {
    var parts = [data.transcripts[u[1]]];
    parts.push(u[3] >= 0 ? data.speakers[u[3]] : S.anonymous);
    var cases = u[4].map(function (c) { return data.cases[c]; }).join(", ");
    if (cases) parts.push(cases);
    return parts.join(" · ");
  }
  function unitHref(u) { return "#unit=" + encodeURIComponent(u[0]); }

  // ---- the list of units, filtered
  function filtered() {
    var theme = $("filter-theme").value, kase = $("filter-case").value, speaker = $("filter-speaker").value;
    var text = $("filter-text").value.trim().toLocaleLowerCase();
    var t = theme === "" ? -1 : +theme, c = kase === "" ? -1 : +kase, sp = speaker === "" ? -1 : +speaker;
    return data.lists[state.list].filter(function (i) {
      var u = U[i];
      if (t >= 0 && u[7].indexOf(t) < 0) return false;
      if (c >= 0 && u[4].indexOf(c) < 0) return false;
      if (sp >= 0 && u[3] !== sp) return false;
      if (text && u[6].toLocaleLowerCase().indexOf(text) < 0) return false;
      return true;
    });
  }
  function renderList() {
    state.matches = filtered();
    var list = $("unit-list");
    list.textContent = "";
    var n = Math.min(state.shown, state.matches.length);
    var fragment = document.createDocumentFragment();
    for (var k = 0; k < n; k++) {
      var u = U[state.matches[k]];
      var item = el("li");
      var link = el("a", who(u));
      link.href = unitHref(u);
      item.appendChild(link);
      var text = u[6].length > 240 ? u[6].slice(0, 240) + "…" : u[6];
      item.appendChild(el("p", text));
      fragment.appendChild(item);
    }
    list.appendChild(fragment);
    $("list-title").textContent = data.listLabels[state.list];
    $("list-status").textContent = !state.matches.length ? S.no_units : state.matches.length === 1 ? S.showing_1 :
      format(S.showing, { shown: num(n), n: num(state.matches.length) });
    $("show-more").hidden = n >= state.matches.length;
  }
  function openList(id, focus) {
    if (!(id >= 0 && id < data.lists.length)) return false;
    if (id !== state.list) {
      ["filter-theme", "filter-case", "filter-speaker", "filter-text"].forEach(function (f) { $(f).value = ""; });
    }
    state.list = id;
    state.shown = PAGE;
    $("unit-view").hidden = true;
    renderList();
    $("unit-back").href = "#list=" + id;
    if (focus) {
      $("units").scrollIntoView();
      $("list-title").focus({ preventScroll: true });
    }
    return true;
  }

  // ---- one unit inside its turn and the turns around it, the interviewer's question above each turn
  function turnRange(i) {
    var u = U[i], a = i, b = i;
    while (a > 0 && U[a - 1][1] === u[1] && U[a - 1][2] === u[2]) a--;
    while (b + 1 < U.length && U[b + 1][1] === u[1] && U[b + 1][2] === u[2]) b++;
    return [a, b];
  }
  function turnBlock(range, current) {
    var first = U[range[0]];
    var block = el("div", null, "turn" + (current >= 0 ? " current" : ""));
    var speaker = el("p", first[3] >= 0 ? data.speakers[first[3]] : S.anonymous, "speaker");
    block.appendChild(speaker);
    var para = el("p", null, "said");
    for (var k = range[0]; k <= range[1]; k++) {
      if (k > range[0]) para.appendChild(document.createTextNode(" "));
      if (k === current) {
        var mark = el("mark", U[k][6]);
        mark.id = "current-unit";
        para.appendChild(mark);
      } else {
        var other = el("a", U[k][6], "other");
        other.href = unitHref(U[k]);
        para.appendChild(other);
      }
    }
    block.appendChild(para);
    return block;
  }
  function questionBlock(q) {
    var box = el("div", null, "question");
    box.appendChild(el("p", q >= 0 ? data.questions[q] : S.no_question));
    return box;
  }
  function markMain(box) {  // the question that prompted the unit: labelled, whichever turn it stands above
    box.classList.add("main");
    box.insertBefore(el("p", S.question, "label"), box.firstChild);
  }
  function openUnit(id) {
    var i = byId.get(id);
    if (i === undefined) return false;
    var u = U[i];
    var view = $("unit-view");
    $("unit-view-h").textContent = S.unit + " " + u[0];
    var meta = $("unit-meta");
    meta.textContent = "";
    var cases = u[4].map(function (c) { return data.cases[c]; }).join(", ");
    [[S.transcript, data.transcripts[u[1]]], [S.speaker, u[3] >= 0 ? data.speakers[u[3]] : S.anonymous],
     [S.case, u[3] >= 0 || cases ? cases || "–" : S.anonymous],
     [S.codes, u[7].map(function (t) { return data.themes[t]; }).join("; ") || "–"]].forEach(function (pair) {
      meta.appendChild(el("dt", pair[0]));
      meta.appendChild(el("dd", pair[1]));
    });
    var context = $("unit-context");
    context.textContent = "";
    var here = turnRange(i);
    var ranges = [];
    var r = here, k;
    for (k = 0; k < 2 && r[0] > 0 && U[r[0] - 1][1] === u[1]; k++) { r = turnRange(r[0] - 1); ranges.unshift(r); }
    var before = ranges.length;
    ranges.push(here);
    r = here;
    if (r[1] + 1 < U.length && U[r[1] + 1][1] === u[1]) ranges.push(turnRange(r[1] + 1));
    var lastQ = null, lastBox = null;
    ranges.forEach(function (range, j) {
      var q = U[range[0]][5];
      var isHere = j === before;
      // a question stands once above the turns that answer it (several speakers may answer one question)
      if (q !== lastQ || lastBox === null) lastBox = context.appendChild(questionBlock(q));
      if (isHere) markMain(lastBox);
      lastQ = q;
      context.appendChild(turnBlock(range, isHere ? i : -1));
    });
    view.hidden = false;
    view.scrollIntoView();
    $("unit-view-h").focus({ preventScroll: true });
    return true;
  }

  // ---- routing: #list=N and #unit=ID; every other hash is an ordinary anchor
  function route() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("list=") === 0) return openList(parseInt(hash.slice(5), 10), true);
    if (hash.indexOf("unit=") === 0) return openUnit(decodeURIComponent(hash.slice(5)));
    return false;
  }
  fill($("filter-theme"), data.themes);
  fill($("filter-case"), data.cases);
  fill($("filter-speaker"), data.speakers);
  ["filter-theme", "filter-case", "filter-speaker", "filter-text"].forEach(function (f) {
    $(f).addEventListener("input", function () { state.shown = PAGE; $("unit-view").hidden = true; renderList(); });
  });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  $("show-more").addEventListener("click", function () { state.shown += PAGE; renderList(); });
  window.addEventListener("hashchange", route);
  openList(0, false);
  route();
  document.documentElement.setAttribute("data-ready", "1");
})();
