package dev.tessera.registry.ui;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /ui/metrics}: the Grafana dashboard's panels filled from the services' Prometheus pages
 * ({@link MetricsPage}), for a machine without Prometheus; {@code ?refresh=15} reloads it every 15 s.
 */
@Controller
class MetricsPageController {
  private final MetricsPage page;

  MetricsPageController(MetricsPage page) {
    this.page = page;
  }

  @GetMapping("/ui/metrics")
  String metrics(@RequestParam(defaultValue = "0") int refresh, Model model) {
    model.addAttribute("view", page.render());
    model.addAttribute("refresh", refresh <= 0 ? 0 : Math.max(5, Math.min(300, refresh)));
    return "metrics";
  }
}
