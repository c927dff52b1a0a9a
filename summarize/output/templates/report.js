/* The HTML report's behaviour (included inline by report.html.j2). The page works without
   it: chips are links to their passages and :target highlights the passage. With it: the
   articles become tabs; a click on a chip (or any link to a passage) opens the passage's
   article, scrolls the passage into view and highlights it; hovering or focusing a chip
   shows the passage in a card. Text is only ever set with textContent. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var articles = Array.prototype.slice.call(document.querySelectorAll("article.article"));
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".tabs .tab"));
  var tip = document.getElementById("tip");
  var back = document.getElementById("back");
  var origin = null; // the chip last followed: "back" returns to it

  function showArticle(id) {
    var found = false;
    articles.forEach(function (a) {
      var on = a.id === id;
      a.classList.toggle("active", on);
      found = found || on;
    });
    tabs.forEach(function (t) {
      var on = t.getAttribute("data-article") === id;
      t.setAttribute("aria-selected", on ? "true" : "false");
      if (on && t.scrollIntoView && t.parentNode.scrollWidth > t.parentNode.clientWidth) {
        t.parentNode.scrollLeft = t.offsetLeft - t.parentNode.offsetLeft - 8;
      }
    });
    return found;
  }

  function passageFor(id) {
    var el = id ? document.getElementById(id) : null;
    return el && el.classList.contains("passage") ? el : null;
  }

  function highlight(el) {
    var article = el.closest("article.article");
    if (article) showArticle(article.id);
    Array.prototype.forEach.call(document.querySelectorAll(".passage.highlight"), function (p) {
      p.classList.remove("highlight");
    });
    el.classList.add("highlight");
    el.scrollIntoView({ block: "center", inline: "nearest" });
    el.focus({ preventScroll: true });
  }

  function follow(hash, push) {
    var id = (hash || "").replace(/^#/, "");
    var passage = passageFor(id);
    if (passage) {
      highlight(passage);
    } else if (id && showArticle(id)) {
      document.getElementById("articles").scrollIntoView({ block: "start" });
    } else {
      return false;
    }
    if (push && location.hash !== "#" + id) history.pushState(null, "", "#" + id);
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    if (follow(link.getAttribute("href"), true)) {
      event.preventDefault();
      hideTip();
      Array.prototype.forEach.call(document.querySelectorAll(".chip.current"), function (c) {
        c.classList.remove("current");
      });
      if (link.classList.contains("chip")) {
        link.classList.add("current");
        origin = link;
        if (back) back.hidden = false;
      }
    }
  });
  if (back) {
    back.addEventListener("click", function () {
      if (origin) {
        origin.scrollIntoView({ block: "center" });
        origin.focus({ preventScroll: true });
      }
      back.hidden = true;
    });
  }
  window.addEventListener("popstate", function () { follow(location.hash, false); });

  // Hover / focus card: the chip's title (outlet: passage) moves into data-tip, so the
  // browser's own tooltip does not show twice.
  Array.prototype.forEach.call(document.querySelectorAll(".chip[title]"), function (chip) {
    chip.setAttribute("data-tip", chip.getAttribute("title"));
    chip.removeAttribute("title");
  });

  function showTip(chip) {
    var text = chip.getAttribute("data-tip");
    if (!text || !tip) return;
    var outlet = chip.getAttribute("data-outlet") || "";
    var body = outlet && text.indexOf(outlet + ": ") === 0 ? text.slice(outlet.length + 2) : text;
    tip.textContent = "";
    var head = document.createElement("b");
    head.textContent = chip.textContent + (outlet ? " · " + outlet : "");
    tip.appendChild(head);
    tip.appendChild(document.createTextNode(body));
    tip.hidden = false;
    var r = chip.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
    var top = r.bottom + 6;
    if (top + h > window.innerHeight - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTip() {
    if (tip) tip.hidden = true;
  }

  document.addEventListener("mouseover", function (event) {
    var chip = event.target.closest ? event.target.closest(".chip") : null;
    if (chip) showTip(chip);
  });
  document.addEventListener("mouseout", function (event) {
    var chip = event.target.closest ? event.target.closest(".chip") : null;
    if (chip && !chip.contains(event.relatedTarget)) hideTip();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("chip")) showTip(event.target);
  });
  document.addEventListener("focusout", hideTip);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTip();
  });
  window.addEventListener("scroll", hideTip, { passive: true });

  if (!follow(location.hash, false) && articles.length) showArticle(articles[0].id);
})();
