/* nnstep training player (nnstep.player): plays the recorded frames of a training run.
 * Every player carries this script (a notebook may show each output in its own frame); the
 * first copy on a page defines window.nnstepPlayer and the others only mount their player.
 * Python drew the last frame as a static figure; mount() copies it into a live view and
 * redraws the moving parts (fit lines, loss marker, readout) for each frame. */
window.nnstepPlayer = window.nnstepPlayer || (function () {
  "use strict";
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var WORDS = { ko: ["에폭", "손실"], en: ["epoch", "loss"] };

  // Every frame of a curve, from the text that _encode in nnstep/player.py wrote: per point
  // the change since the last frame as one digit (-32..31 tenths), or "!" and two digits for
  // the value (tenths, offset by 200), or "~" for no number; "." and a digit k: k + 1 points
  // unchanged; points left out at the end are unchanged.
  function decode(codes) {
    var frames = [], previous = [];
    codes.forEach(function (code) {
      var current = [], at = function (i) { return DIGITS.indexOf(code.charAt(i)); };
      for (var i = 0; i < code.length; i++) {
        var c = code.charAt(i);
        if (c === "~") current.push(null);
        else if (c === "!") { current.push(at(i + 1) * 64 + at(i + 2)); i += 2; }
        else if (c === ".") { for (var n = at(++i); n >= 0; n--) current.push(previous[current.length]); }
        else current.push(previous[current.length] + at(i) - 32);
      }
      while (current.length < previous.length) current.push(previous[current.length]);
      frames.push(current);
      previous = current;
    });
    return frames;
  }

  function curve(xs, qs) { // an SVG path through the points, broken where a value is missing
    var d = "", pen = "M";
    for (var i = 0; i < xs.length; i++) {
      if (qs[i] === null) { pen = "M"; continue; }
      d += pen + xs[i] + " " + (qs[i] - 200) / 10;
      pen = "L";
    }
    return d;
  }

  function language() {
    var chosen = document.documentElement.getAttribute("data-coursebook-lang");
    return chosen === "ko" || chosen === "en" ? [chosen] : ["ko", "en"];
  }

  function mount(root) {
    if (!root || root.getAttribute("data-live")) return;
    root.setAttribute("data-live", "1");
    var data = JSON.parse(root.querySelector(".np-data").textContent);
    var still = root.querySelector(".np-static");
    var view = still.cloneNode(true);
    view.className = "np-view np-live";
    view.removeAttribute("role");
    view.removeAttribute("aria-labelledby");
    view.querySelector(".np-panels").setAttribute("aria-hidden", "true");
    still.parentNode.insertBefore(view, still.nextSibling);

    var controls = root.querySelector(".np-controls");
    var slider = controls.querySelector("input");
    var playButton = controls.querySelector(".np-play");
    var last = data.epochs.length - 1, frame = last, timer = null;
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var pause = reduced ? 500 : Math.round(Math.max(40, Math.min(150, 8000 / (last + 1)))); // ms per frame: a run plays in about 8 s
    root.setAttribute("data-frame-ms", String(pause));

    function all(selector) { return view.querySelectorAll(selector); }
    var fits = all(".np-fit"), cursor = view.querySelector(".np-cursor"), marks = all(".np-mark");
    var losses = all(".np-loss"), params = all(".np-params"), epoch = view.querySelector(".np-epoch");

    data.runs.forEach(function (run) {
      run.fit = decode(run.fit);
      run.nodes = (run.nodes || []).map(decode);
    });

    function show(i) {
      frame = Math.max(0, Math.min(last, i));
      data.runs.forEach(function (run, r) {
        fits[r].setAttribute("d", curve(run.xs, run.fit[frame]));
        run.nodes.forEach(function (node, j) {
          view.querySelector(".np-r" + r + " .np-node" + j).setAttribute("d", curve(run.xs, node[frame]));
        });
        var y = run.my[frame];
        marks[r].setAttribute("visibility", y === null ? "hidden" : "visible");
        if (y !== null) { marks[r].setAttribute("cx", data.mx[frame]); marks[r].setAttribute("cy", y); }
        losses[r].textContent = run.loss[frame];
        if (run.params) params[r].textContent = run.params[frame];
      });
      cursor.setAttribute("x1", data.mx[frame]);
      cursor.setAttribute("x2", data.mx[frame]);
      epoch.textContent = data.epochs[frame];
      slider.value = frame;
      slider.setAttribute("aria-valuetext", language().map(function (lang) {
        var words = WORDS[lang], text = words[0] + " " + data.epochs[frame] + " / " + data.epochs[last];
        data.runs.forEach(function (run, r) {
          text += ", " + (data.labels ? data.labels[r][lang === "ko" ? 0 : 1] + " " : "") + words[1] + " " + run.loss[frame];
        });
        return text;
      }).join(" · "));
    }

    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      playButton.setAttribute("aria-pressed", "false");
    }

    function start() {
      if (frame >= last) show(0); // from the end, play again from the start
      playButton.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        show(frame + 1);
        if (frame >= last) stop();
      }, pause);
    }

    function toggle() { if (timer === null) start(); else stop(); }
    function go(i) { stop(); show(i); }

    playButton.addEventListener("click", toggle);
    controls.querySelector(".np-back").addEventListener("click", function () { go(frame - 1); });
    controls.querySelector(".np-forward").addEventListener("click", function () { go(frame + 1); });
    slider.addEventListener("input", function () { go(Number(slider.value)); });
    controls.addEventListener("keydown", function (event) {
      var key = event.key, onSlider = event.target === slider;
      if (key === " " || key === "Spacebar") {
        if (!onSlider) return; // a focused button: space presses it
        toggle();
      } else if (onSlider) {
        return; // the slider moves itself on arrows, Home, End, Page Up/Down
      } else if (key === "ArrowLeft" || key === "ArrowDown") go(frame - 1);
      else if (key === "ArrowRight" || key === "ArrowUp") go(frame + 1);
      else if (key === "Home") go(0);
      else if (key === "End") go(last);
      else return;
      event.preventDefault();
    });
    document.addEventListener("change", function (event) {
      if (event.target && event.target.id === "coursebook-lang-select") show(frame); // the slider's words follow the switch
    });

    controls.hidden = false;
    root.classList.add("np-is-live");
    show(0);
  }

  return { mount: mount };
})();
