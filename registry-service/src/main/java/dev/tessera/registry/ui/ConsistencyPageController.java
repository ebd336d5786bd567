package dev.tessera.registry.ui;

import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.groupby.GroupByRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /ui/groupbys/{name}/consistency}: the latest online/offline consistency report of a GroupBy
 * (per feature: values compared, mismatches by cause, SMAPE), the mismatch rate per day as a chart,
 * and mismatching rows, read from the batch service.
 */
@Controller
public class ConsistencyPageController {
  private final GroupByRegistry registry;
  private final ConsistencyClient client;

  public ConsistencyPageController(GroupByRegistry registry, ConsistencyClient client) {
    this.registry = registry;
    this.client = client;
  }

  @GetMapping("/ui/groupbys/{name}/consistency")
  String consistency(@PathVariable String name, @RequestParam(defaultValue = "30") int days, Model model) {
    DefinitionSummary s = registry.summary(name);
    int shownDays = Math.max(1, Math.min(366, days));
    ConsistencyClient.Outcome outcome = client.report(s.name(), shownDays);
    model.addAttribute("summary", s);
    model.addAttribute("batchUrl", client.base());
    model.addAttribute("days", shownDays);
    model.addAttribute("error", outcome.error());
    Map<String, Object> report = outcome.report();
    if (report != null) {
      model.addAttribute("report", report);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> perDay = (List<Map<String, Object>>) report.getOrDefault("days", List.of());
      model.addAttribute("perDay", perDay);
      model.addAttribute("chart", ConsistencyPage.chart(perDay));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> samples = (List<Map<String, Object>>) report.getOrDefault("samples", List.of());
      // keys and values as the JSON they are, not as Java's map text
      model.addAttribute("samples", samples.stream().map(ConsistencyPage::asJsonText).toList());
    }
    return "consistency";
  }
}
