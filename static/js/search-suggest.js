/* Suggestions of people, factions and ministries under the search box, as one types.
   Progressive enhancement: the box stays a plain search field without this script.
   ARIA 1.2 combobox with a listbox popup: arrows move, Enter opens, Escape closes. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) { return; }
  var url = input.getAttribute("data-suggest-url");
  var listId = input.id + "-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "Vorschläge");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, position) { option.setAttribute("aria-selected", position === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(results) {
    items = results;
    list.textContent = "";
    results.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = listId + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "suggestion-" + item.kind;
      var label = document.createElement("span");
      label.className = "suggestion-label";
      label.textContent = item.label;
      var detail = document.createElement("span");
      detail.className = "suggestion-detail";
      detail.textContent = " – " + item.detail;
      option.appendChild(label);
      option.appendChild(detail);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { window.location.href = item.url; });
      list.appendChild(option);
    });
    active = -1;
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    status.textContent = results.length ? results.length + " " + (input.getAttribute("data-suggest-count") || "Vorschläge") : "";
  }

  function ask() {
    var typed = input.value.trim();
    if (typed === asked) { return; }
    asked = typed;
    if (typed.length < 2) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === typed) { show(data.results || []); } })
      .catch(function () { show([]); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === "ArrowDown" && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(0); event.preventDefault(); }
      return;
    }
    if (event.key === "ArrowDown") { highlight((active + 1) % items.length); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(active <= 0 ? items.length - 1 : active - 1); event.preventDefault(); }
    else if (event.key === "Escape") { close(); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location.href = items[active].url; }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
})();
