/* The attendance journal's keyboard help, an enhancement only (the grid saves without it): arrow keys move
   between the grid's checkboxes, and each lesson day gets a button marking its whole column present. */
(function () {
  "use strict";
  var table = document.querySelector("table.journal");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);

  function cellBox(r, c) {
    var row = rows[r];
    if (!row) { return null; }
    var cell = row.cells[c];
    return cell ? cell.querySelector("input[type=checkbox]") : null;
  }

  table.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox]")) { return; }
    var moves = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
    var move = moves[event.key];
    if (!move) { return; }
    var cell = box.closest("td"), row = cell.parentNode;
    var r = rows.indexOf(row), c = cell.cellIndex;
    for (var step = 1; step < 64; step++) {  /* skip the cells of days a child was not enrolled on */
      var next = cellBox(r + move[0] * step, c + move[1] * step);
      if (next) { next.focus(); event.preventDefault(); return; }
      if (r + move[0] * step < 0 || r + move[0] * step >= rows.length || c + move[1] * step < 1 ||
          c + move[1] * step >= row.cells.length) { return; }
    }
  });

  Array.prototype.forEach.call(table.querySelectorAll("thead th[data-day]"), function (th) {
    var day = th.getAttribute("data-day");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary column-all";
    button.textContent = "Все";
    button.setAttribute("aria-label", "Все пришли " + th.textContent.trim().split(/\s+/)[0] + " числа");
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(table.querySelectorAll("input[data-day='" + day + "']"), function (box) {
        box.checked = true;
      });
    });
    th.appendChild(document.createElement("br"));
    th.appendChild(button);
  });
})();
