// The systems of the workspace, each with its verdict and level.
"use strict";
fetch("api/workspace")
  .then((response) => response.json())
  .then((workspace) => {
    const list = document.getElementById("systems");
    for (const system of workspace.systems) {
      const item = document.createElement("li");
      item.textContent = `${system.name || system.file}: ${system.verdict_label || "has mistakes"}`;
      list.appendChild(item);
    }
    document.getElementById("status").textContent = workspace.folder;
  })
  .catch(() => {
    document.getElementById("status").textContent = "The systems could not be read.";
  });
