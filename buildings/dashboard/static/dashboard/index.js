// The map's metric selector and tooltip (each town is a link: the keyboard reaches
// it, a screen reader reads its name and value); the town table's sorting, county
// filter and search, and its CSV link kept to the filter. The classes and values
// come from the server (map-data): no figure is computed here.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("map");
  var paths = svg.querySelectorAll(".towns path");
  var legendTitle = document.getElementById("legend-title");
  var mapTitle = document.getElementById("map-title");
  var tooltip = document.getElementById("tooltip");
  var select = document.getElementById("metric");
  var legend = document.getElementById("legend");
  var position = {};
  data.ids.forEach(function (id, i) { position[id] = i; });
  var metric = data.metrics[0];
  var criteria = new URL(window.location.href).searchParams.get("criteria");  // a what-if

  function setQuery(name, value) {
    var url = new URL(window.location.href);
    if (value) { url.searchParams.set(name, value); } else { url.searchParams.delete(name); }
    window.history.replaceState(null, "", url);
  }

  function colour(key) {
    metric = data.metrics.find(function (m) { return m.key === key; }) || data.metrics[0];
    paths.forEach(function (path) {
      var k = metric.classes[position[path.dataset.id]];
      path.setAttribute("class", k === null || k === undefined ? "nd" : "q" + k);
      path.parentNode.setAttribute("aria-label", label(path));
    });
    legendTitle.textContent = metric.title;
    mapTitle.textContent = mapTitle.textContent.replace(/coloured by .*;/,
                                                        "coloured by " + metric.label + ";");
    legend.innerHTML = "";
    metric.legend.concat(["no value"]).forEach(function (label, i, all) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch " + (i === all.length - 1 ? "nd" : "q" + i);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label));
      legend.appendChild(item);
    });
  }

  function label(path) {
    return path.dataset.name + ": " + metric.values[position[path.dataset.id]];
  }

  function showTooltip(path, x, y) {
    tooltip.textContent = label(path);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
    tooltip.hidden = false;
  }

  select.addEventListener("change", function () {
    colour(select.value);
    setQuery("metric", select.value === data.metrics[0].key ? "" : select.value);
  });
  colour(select.value);

  svg.addEventListener("mousemove", function (event) {
    var path = event.target.closest(".towns path");
    if (!path) { tooltip.hidden = true; return; }
    var link = path.parentNode;
    if (link !== link.parentNode.lastChild && link !== document.activeElement) {
      link.parentNode.appendChild(link);  // drawn last, so its outline is not hidden
    }
    var frame = svg.parentNode.getBoundingClientRect();
    showTooltip(path, event.clientX - frame.left + 14, event.clientY - frame.top + 14);
  });
  svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
  svg.addEventListener("focusin", function (event) {
    var path = event.target.querySelector && event.target.querySelector("path");
    if (!path) { return; }
    var box = path.getBoundingClientRect();
    var frame = svg.parentNode.getBoundingClientRect();
    showTooltip(path, box.right - frame.left + 4, box.top - frame.top);
  });
  svg.addEventListener("focusout", function () { tooltip.hidden = true; });

  // the town table
  var table = document.getElementById("towns");
  var body = table.tBodies[0];
  var county = document.getElementById("county");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var townsCsv = document.getElementById("towns-csv");
  var rows = Array.prototype.slice.call(body.rows);

  function key(cell) {
    var text = cell.textContent.trim();
    if (text === "–") { return null; }
    var number = text.replace(/[$,%\s]/g, "");
    return /^-?\d+(\.\d+)?$/.test(number) ? parseFloat(number) : text.toLowerCase();
  }

  table.tHead.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var column = Number(button.dataset.column);
    var th = button.parentNode;
    var keyed = rows.map(function (row) { return [key(row.cells[column]), row]; });
    // numbers largest first, names from A; a second click turns the order round
    var numeric = keyed.some(function (pair) { return typeof pair[0] === "number"; });
    var current = th.getAttribute("aria-sort");
    var descending = current ? current === "ascending" : numeric;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    keyed.sort(function (a, b) {
      if (a[0] === b[0]) { return 0; }
      if (a[0] === null) { return 1; }  // no value last, either way
      if (b[0] === null) { return -1; }
      var order = a[0] < b[0] ? -1 : 1;
      return descending ? -order : order;
    });
    keyed.forEach(function (pair) { body.appendChild(pair[1]); });
  });

  function filter() {
    var wanted = county.value;
    var text = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.cells[1].textContent === wanted) &&
        (!text || row.cells[0].textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " towns";
    setQuery("county", wanted);
    setQuery("q", search.value.trim());
    var query = new URLSearchParams();
    if (wanted) { query.set("county", wanted); }
    if (search.value.trim()) { query.set("q", search.value.trim()); }
    if (criteria) { query.set("criteria", criteria); }
    townsCsv.href = townsCsv.pathname + (query.toString() ? "?" + query.toString() : "");
  }
  county.addEventListener("change", filter);
  search.addEventListener("input", filter);
  document.getElementById("town-filter").addEventListener("submit", function (event) {
    event.preventDefault();
    filter();
  });
}());
