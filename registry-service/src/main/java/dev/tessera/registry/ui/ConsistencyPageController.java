package dev.tessera.registry.ui;

import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.join.JoinRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /ui/groupbys/{name}/consistency} and {@code /ui/joins/{name}/consistency}: the latest
 * online/offline consistency report of a GroupBy (per feature: values compared, mismatches by cause,
 * SMAPE) or of a Join (per part and per column, derived columns under "derived"), the mismatch rate
 * per day as a chart, and mismatching rows, read from the batch service. One template for both.
 */
@Controller
public class ConsistencyPageController {
  private final GroupByRegistry registry;
  private final JoinRegistry joins;
  private final ConsistencyClient client;

  public ConsistencyPageController(GroupByRegistry registry, JoinRegistry joins, ConsistencyClient client) {
    this.registry = registry;
    this.joins = joins;
    this.client = client;
  }

  @GetMapping("/ui/groupbys/{name}/consistency")
  String consistency(@PathVariable String name, @RequestParam(defaultValue = "30") int days, Model model) {
    DefinitionSummary s = registry.summary(name);
    int shownDays = shownDays(days);
    addReport(model, Kind.GROUPBY, s, shownDays, client.report(s.name(), shownDays));
    return "consistency";
  }

  @GetMapping("/ui/joins/{name}/consistency")
  String joinConsistency(@PathVariable String name, @RequestParam(defaultValue = "30") int days, Model model) {
    DefinitionSummary s = joins.summary(name);
    int shownDays = shownDays(days);
    Map<String, Object> report = addReport(model, Kind.JOIN, s, shownDays, client.joinReport(s.name(), shownDays));
    if (report != null) {
      List<Map<String, Object>> parts = list(report, "parts");
      model.addAttribute("parts", parts);
      model.addAttribute("columns", list(report, "columns"));
      model.addAttribute("totals", ConsistencyPage.totals(parts));
    }
    return "consistency";
  }

  private static int shownDays(int days) {
    return Math.max(1, Math.min(366, days));
  }

  /** What both pages show: the report's latest run, days and samples, or why there is none. */
  private Map<String, Object> addReport(Model model, Kind kind, DefinitionSummary s, int shownDays, ConsistencyClient.Outcome outcome) {
    model.addAttribute("kind", kind.slug());
    model.addAttribute("kindLabel", kind.label());
    model.addAttribute("base", EditorController.base(kind));
    model.addAttribute("summary", s);
    model.addAttribute("batchUrl", client.base());
    model.addAttribute("days", shownDays);
    model.addAttribute("error", outcome.error());
    model.addAttribute("causeColumns", ConsistencyPage.CAUSES);
    Map<String, Object> report = outcome.report();
    if (report != null) {
      model.addAttribute("report", report);
      model.addAttribute("causeColumns", ConsistencyPage.causeColumns(rowsWithCauses(report)));
      List<Map<String, Object>> perDay = list(report, "days");
      model.addAttribute("perDay", perDay);
      model.addAttribute("chart", ConsistencyPage.chart(perDay));
      // keys and values as the JSON they are, not as Java's map text
      model.addAttribute("samples", list(report, "samples").stream().map(ConsistencyPage::asJsonText).toList());
    }
    return report;
  }

  /** The rows of a report that count mismatches by cause: the latest run's features, a Join's parts and columns. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rowsWithCauses(Map<String, Object> report) {
    List<Map<String, Object>> rows = new java.util.ArrayList<>(list(report, "parts"));
    rows.addAll(list(report, "columns"));
    if (report.get("latest") instanceof Map<?, ?> latest && latest.get("result") instanceof Map<?, ?> result) {
      rows.addAll(list((Map<String, Object>) result, "features"));
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> report, String field) {
    return report.get(field) instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
