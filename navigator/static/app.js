/* Enhancements only: every page works without this file. Suggestions while typing a search, a live
   check of a СНИЛС's control number as it is typed, and a long run's progress refreshed in place. */
(function () {
  "use strict";
  var box = document.querySelector("input[data-suggest]");
  if (box && window.fetch) {
    var list = document.getElementById(box.getAttribute("list"));
    var timer = null, last = "";
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value.trim();
        if (q.length < 2 || q === last) { return; }
        last = q;
        fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {items: []}; })
          .then(function (data) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.items.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }

  /* СНИЛС: 9 digits, then a control number: Σ digit × (9 − position), mod 101, 100 → 0. */
  function snilsValid(digits) {
    if (digits.length !== 11) { return null; }
    if (parseInt(digits.slice(0, 9), 10) <= 1001998) { return true; }  /* issued before the control number */
    var sum = 0;
    for (var i = 0; i < 9; i++) { sum += parseInt(digits[i], 10) * (9 - i); }
    var control = sum % 101;
    if (control === 100) { control = 0; }
    return control === parseInt(digits.slice(9), 10);
  }
  var snils = document.querySelector("input[data-snils]");
  var out = document.getElementById("snils-check");
  if (snils && out) {
    snils.addEventListener("input", function () {
      var digits = snils.value.replace(/\D/g, "");
      var valid = snilsValid(digits);
      if (digits.length === 0) { out.textContent = ""; out.className = "snils-check"; }
      else if (digits.length !== 11) { out.textContent = "Набрано цифр: " + digits.length + " из 11"; out.className = "snils-check"; }
      else if (valid) { out.textContent = "Контрольное число сходится"; out.className = "snils-check ok"; }
      else { out.textContent = "Контрольное число не сходится: проверьте номер"; out.className = "snils-check bad"; }
    });
  }

  /* A long run's progress (a month close, a period's opening): every 5 s the same page is asked for and the
     progress block's content replaced in place (no whole-page reload); once the run is over the page reloads
     once to show the result. It stops after 10 minutes or when «Не обновлять автоматически» is pressed. */
  var running = document.querySelector(".progress[data-refresh]");
  if (running && window.fetch && window.DOMParser) {
    var every = 1000 * (parseInt(running.getAttribute("data-refresh"), 10) || 5);
    var until = Date.now() + 10 * 60 * 1000, stopped = false, timer = null;
    var stop = document.createElement("button");
    stop.type = "button";
    stop.className = "secondary";
    stop.textContent = "Не обновлять автоматически";
    stop.addEventListener("click", function () {
      stopped = true;
      clearTimeout(timer);
      stop.parentNode.removeChild(stop);
    });
    running.parentNode.insertBefore(stop, running.nextSibling);
    var poll = function () {
      if (stopped) { return; }
      if (Date.now() > until) { stop.click(); return; }
      fetch(window.location.pathname, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (stopped) { return; }
          var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector(".progress");
          if (fresh && fresh.getAttribute("data-done") === "true") { window.location.reload(); return; }
          if (fresh) { running.innerHTML = fresh.innerHTML; }
          timer = setTimeout(poll, every);
        })
        .catch(function () { timer = setTimeout(poll, every); });
    };
    timer = setTimeout(poll, every);
  }
})();
