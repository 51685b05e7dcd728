// 朗读: read the question and its options aloud with the browser's speech synthesis. The button stays
// hidden unless the browser has a Chinese voice (zh-CN first); voices may arrive after the page loads.
(function () {
  "use strict";
  var button = document.getElementById("read-aloud");
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    var chinese = voices.filter(function (voice) { return /^zh/i.test(voice.lang || ""); });
    var mainland = chinese.filter(function (voice) { return /^zh[-_]CN/i.test(voice.lang); });
    return mainland[0] || chinese[0] || null;
  }

  // The blanks of a 填空 stem ("（ 1 ）", "（　）", "____") are read as "第 1 空" or "空", not as brackets.
  function spoken(text) {
    return text.replace(/[（(][\s\u3000]*(\d*)[\s\u3000]*[）)]|_{2,}/g, function (_blank, number) {
      return number ? "，第" + number + "空，" : "，空，";
    }).replace(/\s+/g, " ").trim();
  }

  function script() {
    var parts = Array.prototype.map.call(document.querySelectorAll("[data-speak]"), function (element) {
      var letter = element.getAttribute("data-speak");
      return (letter ? "选项" + letter + "，" : "") + spoken(element.textContent);
    });
    return parts.join("。");
  }

  function offer() {
    button.hidden = !chineseVoice();
  }

  button.addEventListener("click", function () {
    synth.cancel();  // a second press starts again from the top instead of queueing
    var utterance = new window.SpeechSynthesisUtterance(script());
    var voice = chineseVoice();
    utterance.lang = voice ? voice.lang : "zh-CN";
    if (voice) { utterance.voice = voice; }
    utterance.rate = 0.9;  // a little slower than the default, for older listeners
    synth.speak(utterance);
  });
  offer();
  if (typeof synth.addEventListener === "function") { synth.addEventListener("voiceschanged", offer); }
  window.addEventListener("pagehide", function () { synth.cancel(); });
}());
