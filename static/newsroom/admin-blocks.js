// Show each body block only the fields its type uses. Without JavaScript every field stays
// visible and the server still checks them (Block.clean).
"use strict";
(function () {
  const FIELDS = {
    text: (type) => type !== "image",
    attribution: (type) => type === "quote",
    image: (type) => type === "image",
    ordered: (type) => type === "list",
  };

  function sync(block) {
    const select = block.querySelector("select[name$='-type']");
    if (!select) return;
    for (const [name, shown] of Object.entries(FIELDS)) {
      const row = block.querySelector(".field-" + name);
      if (row) row.hidden = !shown(select.value);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".newsroom-blocks .inline-related").forEach(sync);
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches(".newsroom-blocks select[name$='-type']")) {
      sync(event.target.closest(".inline-related"));
    }
  });
  document.addEventListener("formset:added", function (event) {
    if (event.target.closest(".newsroom-blocks")) sync(event.target);
  });
})();
