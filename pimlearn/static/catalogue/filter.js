// The catalogue's filter: shows the courses (and modules) whose text contains what is typed.
// Without JavaScript the filter stays hidden and every course is shown.
(function () {
  "use strict";
  var form = document.querySelector(".catalogue-filter");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("filter-count");
  var courses = Array.prototype.slice.call(document.querySelectorAll(".course-entry"));
  form.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    courses.forEach(function (course) {
      var modules = Array.prototype.slice.call(course.querySelectorAll(".catalogue-modules > li"));
      var matches = function (text) { return words.every(function (w) { return text.indexOf(w) !== -1; }); };
      var courseMatches = matches(course.getAttribute("data-search") || "");
      modules.forEach(function (m) {
        m.hidden = words.length > 0 && !courseMatches && !matches(m.getAttribute("data-search") || "");
      });
      var any = courseMatches || modules.some(function (m) { return !m.hidden; });
      course.hidden = !any;
      if (any) shown += 1;
    });
    status.textContent = words.length === 0 ? "" :
      shown === 0 ? status.getAttribute("data-none") : status.getAttribute("data-some").replace("{n}", shown);
  });
})();
