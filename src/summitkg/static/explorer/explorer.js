// summitkg explorer: YASGUI on our own endpoint, the named queries, a network view of graph
// results, and the quote popovers of the source documents. No request leaves this host.
(function () {
  "use strict";

  var BASE = "https://w3id.org/summitkg/";

  // Our IRIs open our own pages instead of w3id.org (results tables, pages, network tooltips).
  function localPath(iri) {
    if (iri.indexOf(BASE) !== 0) return null;
    var rest = iri.slice(BASE.length);
    if (rest.indexOf("ontology#") === 0) return "/ontology#" + rest.slice(9);
    if (rest.indexOf("graph/") === 0) return "/store?graph=" + encodeURIComponent(iri);
    return "/" + rest;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    var path = localPath(link.getAttribute("href"));
    if (path) {
      event.preventDefault();
      window.location.assign(path);
    }
  });

  // ---- the SPARQL editor -------------------------------------------------------------------------

  var configElement = document.getElementById("explorer-config");
  if (configElement && window.Yasgui) {
    var config = JSON.parse(configElement.textContent);
    var endpoint = new URL(config.endpoint, window.location.href).toString();
    var yasgui;

    // Graph-shaped results (CONSTRUCT/DESCRIBE) are also drawn as a network by the server,
    // with the same look as `summitkg viz`; the page arrives in a frame, posted as a form.
    var NetworkPlugin = function (yasr) {
      this.yasr = yasr;
      this.priority = 15;
      this.label = "Network";
    };
    NetworkPlugin.prototype.canHandleResults = function () {
      var results = this.yasr.results;
      return !!results && !results.getError() && results.getType() === "ttl";
    };
    NetworkPlugin.prototype.getIcon = function () {
      var icon = document.createElement("span");
      icon.className = "network-icon";
      icon.textContent = "◎";
      return icon;
    };
    NetworkPlugin.prototype.draw = function () {
      var yasr = this.yasr;
      var query = "";
      Object.keys(yasgui._tabs).forEach(function (id) {
        var tab = yasgui._tabs[id];
        if (tab.getYasr && tab.getYasr() === yasr) query = tab.getQuery();
      });
      var name = "network-" + Math.random().toString(36).slice(2);
      var frame = document.createElement("iframe");
      frame.name = name;
      frame.className = "network-frame";
      frame.title = "The query result as a network";
      yasr.resultsEl.appendChild(frame);
      var form = document.createElement("form");
      form.method = "post";
      form.action = "/network";
      form.target = name;
      form.hidden = true;
      var field = document.createElement("textarea");
      field.name = "query";
      field.value = query;
      form.appendChild(field);
      document.body.appendChild(form);
      form.submit();
      form.remove();
    };
    Yasgui.Yasr.registerPlugin("network", NetworkPlugin);

    yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: endpoint }]; },
        keys: [],
      },
      persistenceId: "summitkg-explorer",
      yasqe: {
        value: config.start,
        // No LOV lookups (class/property completion calls lov.linkeddata.es): prefixes and variables only.
        autocompleters: ["prefixes", "variables"],
        editorHeight: "320px",
        resizeable: true,
      },
      yasr: { prefixes: config.prefixes },
    });
    window.summitkgExplorer = yasgui;

    // A graph-shaped answer opens on the network view (the table is one click away).
    yasgui.on("queryResponse", function (instance, tab) {
      window.setTimeout(function () {
        var yasr = tab.getYasr();
        if (yasr.results && !yasr.results.getError() && yasr.results.getType() === "ttl") yasr.selectPlugin("network");
      }, 0);
    });

    var byName = {};
    config.queries.forEach(function (q) { byName[q.name] = q; });

    function openQuery(text, name) {
      var tab = null;
      Object.keys(yasgui._tabs).forEach(function (id) {
        if (name && yasgui._tabs[id].getName() === name) tab = yasgui._tabs[id];
      });
      if (tab) {
        yasgui.selectTabId(tab.getId());
        tab.setQuery(text);
      } else {
        tab = yasgui.addTab(true, { name: name || "Query", yasqe: { value: text } });
      }
      tab.setEndpoint(endpoint);
      tab.getYasqe().query();
    }

    document.querySelectorAll(".named-query").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll(".named-query.active").forEach(function (other) { other.classList.remove("active"); });
        button.classList.add("active");
        var named = byName[button.getAttribute("data-name")];
        openQuery(named.text, named.name);
      });
    });
    if (config.open && byName[config.open]) openQuery(byName[config.open].text, config.open);
    else if (config.run) openQuery(config.start, "Query");
  }

  // ---- quotes in the source documents -------------------------------------------------------------

  var summariesElement = document.getElementById("claim-summaries");
  if (summariesElement) {
    var summaries = JSON.parse(summariesElement.textContent);
    var popover = document.createElement("div");
    popover.className = "popover";
    popover.hidden = true;
    document.body.appendChild(popover);

    var show = function (mark) {
      popover.innerHTML = "";
      var heading = document.createElement("p");
      heading.className = "popover-title";
      heading.textContent = "This span is quoted by:";
      popover.appendChild(heading);
      var list = document.createElement("ul");
      mark.getAttribute("data-claims").split(" ").forEach(function (id) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var summary = summaries[id] || { href: "#", text: "" };
        link.href = summary.href;
        link.textContent = id;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" " + summary.text));
        list.appendChild(item);
      });
      popover.appendChild(list);
      var box = mark.getBoundingClientRect();
      popover.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + window.innerWidth - 440)) + "px";
      popover.style.top = (window.scrollY + box.bottom + 6) + "px";
      popover.hidden = false;
    };
    document.querySelectorAll("mark.q").forEach(function (mark) {
      mark.addEventListener("click", function (event) { event.stopPropagation(); show(mark); });
      mark.addEventListener("keydown", function (event) { if (event.key === "Enter") show(mark); });
    });
    document.addEventListener("click", function (event) {
      if (!popover.contains(event.target)) popover.hidden = true;
    });
    if (window.location.hash.indexOf("#ref-") === 0) {
      var anchor = document.getElementById(window.location.hash.slice(1));
      var target = anchor && anchor.nextElementSibling;
      while (target && target.tagName !== "MARK") target = target.nextElementSibling;
      if (target) {
        target.classList.add("flash");
        target.scrollIntoView({ block: "center" });
      }
    }
  }
})();
