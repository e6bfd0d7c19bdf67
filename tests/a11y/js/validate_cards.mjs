// Microsoft's own Adaptive Cards validator over a batch of cards, in one Node process.
//
// stdin:  {"cards": [{"id": "...", "card": {...}}, ...]}
// stdout: {"sdk": "3.0.6", "results": [{"id", "version", "parse": [...], "warnings": [...]}]}
//
// Each card is parsed by the SDK (`AdaptiveCard.parse`) at the version it declares, so a
// property newer than that version is a parse event, then checked with `validateProperties`.
// One warning is not counted, and only where it cannot apply: "at least one choice" on an
// Input.ChoiceSet whose choices come from Teams' dynamic search (`choices.data`, Data.Query).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The UMD bundle: the package's `lib/` is ES modules without file extensions, which Node
// cannot load as they are.
const AC = require("adaptivecards/dist/adaptivecards.js");
const sdkVersion = require("adaptivecards/package.json").version;

function describe(source) {
  if (!source || typeof source.getJsonTypeName !== "function") {
    return {};
  }
  return { element: source.getJsonTypeName(), elementId: source.id ?? null };
}

function isDynamicSearch(source) {
  return (
    source instanceof AC.ChoiceSetInput &&
    source.choicesData !== undefined &&
    source.choicesData.type === "Data.Query"
  );
}

function check(card) {
  const declared = typeof card.version === "string" ? card.version : "";
  const context = new AC.SerializationContext();
  const version = AC.Version.parse(declared, context);
  const target = version && version.isValid ? version : AC.Versions.latest;
  const parsing = new AC.SerializationContext(target);
  const adaptiveCard = new AC.AdaptiveCard();
  adaptiveCard.parse(card, parsing);
  const parse = [];
  for (let i = 0; i < parsing.eventCount; i++) {
    const event = parsing.getEventAt(i);
    parse.push({ message: event.message, ...describe(event.source) });
  }
  const warnings = [];
  for (const event of adaptiveCard.validateProperties().validationEvents) {
    const emptyChoices = event.event === AC.ValidationEvent.CollectionCantBeEmpty;
    if (emptyChoices && isDynamicSearch(event.source)) {
      continue;
    }
    warnings.push({ message: event.message, ...describe(event.source) });
  }
  return { version: target.toString(), parse, warnings };
}

const input = JSON.parse(readFileSync(0, "utf8"));
const results = input.cards.map(({ id, card }) => ({ id, ...check(card) }));
process.stdout.write(JSON.stringify({ sdk: sdkVersion, results }));
