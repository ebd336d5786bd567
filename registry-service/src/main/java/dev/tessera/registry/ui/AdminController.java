package dev.tessera.registry.ui;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.Plan;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PreconditionHeaders;
import dev.tessera.registry.definition.PublishResult;
import dev.tessera.registry.definition.RetireResult;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.Validation;
import dev.tessera.registry.definition.VersionConflictException;
import dev.tessera.registry.groupby.DefinitionDiff;
import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.groupby.GroupByView;
import dev.tessera.registry.publish.PublicationState;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin UI: server-rendered pages over the same {@link GroupByRegistry} the API uses, so the
 * UI can never publish something the API would refuse (or the other way round).
 */
@Controller
public class AdminController {
  static final String STARTER = """
      # A GroupBy: events, keyed and aggregated over windows (see DESIGN.md for every field).
      team: my_team
      description: what these features describe
      online: true
      keys: [user_id]
      sources:
        - events:
            table: purchases
            topic: purchases
            schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
            query:
              timeColumn: ts
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}
        - {inputColumn: amount, operation: COUNT, windows: [1d]}
      """;

  private final GroupByRegistry registry;
  private final FetcherClient fetcher;

  public AdminController(GroupByRegistry registry, FetcherClient fetcher) {
    this.registry = registry;
    this.fetcher = fetcher;
  }

  @GetMapping({"/", "/ui", "/ui/"})
  String home() {
    return "redirect:/ui/groupbys";
  }

  @GetMapping("/login")
  String login() {
    return "login";
  }

  @GetMapping("/ui/groupbys")
  String list(@RequestParam(required = false) String q, @RequestParam(required = false) String status, Model model) {
    String query = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
    List<DefinitionSummary> all = registry.list();
    List<DefinitionSummary> shown = all.stream()
        .filter(s -> status == null || status.isBlank() || s.status().name().equalsIgnoreCase(status))
        .filter(s -> query.isEmpty() || s.name().contains(query) || (s.team() != null && s.team().toLowerCase(Locale.ROOT).contains(query)))
        .toList();
    model.addAttribute("groupBys", shown);
    model.addAttribute("total", all.size());
    model.addAttribute("activeCount", all.stream().filter(s -> s.status().name().equals("ACTIVE")).count());
    model.addAttribute("q", q == null ? "" : q);
    model.addAttribute("status", status == null ? "" : status);
    return "list";
  }

  @GetMapping("/ui/groupbys/{name}")
  String detail(@PathVariable String name, @RequestParam(required = false) Integer version,
      @RequestParam(required = false) Integer from, @RequestParam(required = false) Integer to, Model model) {
    DefinitionSummary s = registry.summary(name);
    addDetail(model, s, version, from, to);
    return "detail";
  }

  @PostMapping("/ui/groupbys/{name}/fetch")
  String fetch(@PathVariable String name, @RequestParam Map<String, String> form, Model model) {
    DefinitionSummary s = registry.summary(name);
    addDetail(model, s, null, null, null);
    CompiledGroupBy compiled = (CompiledGroupBy) model.getAttribute("compiled");
    Map<String, String> keys = new LinkedHashMap<>();
    compiled.keyNames().forEach(k -> keys.put(k, form.getOrDefault("key." + k, "")));
    String at = form.getOrDefault("atMillis", "").trim();
    Long atMillis = null;
    FetcherClient.Outcome outcome;
    if (!at.isEmpty() && !at.matches("\\d{1,18}")) {
      outcome = new FetcherClient.Outcome(false, null, null, "'As of' must be epoch milliseconds, e.g. 1767225600000.", null, 0);
    } else {
      if (!at.isEmpty()) atMillis = Long.parseLong(at);
      outcome = fetcher.fetch(compiled, keys, atMillis);
    }
    model.addAttribute("fetchKeys", keys);
    model.addAttribute("fetchAt", at);
    model.addAttribute("fetch", outcome);
    return "detail";
  }

  @PostMapping("/ui/groupbys/{name}/retire")
  String retire(@PathVariable String name, @RequestParam(required = false) String etag, Principal principal,
      RedirectAttributes redirect) {
    try {
      RetireResult r = registry.retire(name, fromEtag(etag), principal.getName());
      redirect.addFlashAttribute("flash", r.change() == Change.RETIRED
          ? name + " is retired: a tombstone tells every service to drop it." + publicationNote(r.publication())
          : name + " was already retired.");
      redirect.addFlashAttribute("flashKind", r.publication().status() == PublicationState.Status.PENDING ? "warn" : "ok");
    } catch (VersionConflictException e) {
      redirect.addFlashAttribute("flash", e.getMessage());
      redirect.addFlashAttribute("flashKind", "error");
    }
    return "redirect:/ui/groupbys/" + name;
  }

  @GetMapping("/ui/groupbys/new")
  String create(Model model) {
    addEditor(model, null, "", STARTER, DocumentFormat.YAML, null);
    return "editor";
  }

  @GetMapping("/ui/groupbys/{name}/edit")
  String edit(@PathVariable String name, Model model) {
    DefinitionSummary s = registry.summary(name);
    StoredVersion<GroupBy> v = registry.latestVersion(s);
    addEditor(model, name, name, v.document(), v.documentFormat(), s.etag());
    return "editor";
  }

  /** "Check": validate and show what publishing would do, writing nothing. */
  @PostMapping("/ui/groupbys/validate")
  String check(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Model model) {
    EditorSubmission.Result submission = EditorSubmission.of(name, document, format, blankToNull(editing));
    var v = registry.validate(submission.document(), "validate");
    addEditor(model, blankToNull(editing), name, submission.document().text(), format, etag);
    showValidation(model, submission, v);
    if (v.ok() && submission.nameError() == null) {
      Plan plan = registry.plan(v);
      model.addAttribute("plan", plan);
    }
    return "editor";
  }

  @PostMapping("/ui/groupbys/publish")
  String publish(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Principal principal, Model model, RedirectAttributes redirect) {
    String fixed = blankToNull(editing);
    EditorSubmission.Result submission = EditorSubmission.of(name, document, format, fixed);
    addEditor(model, fixed, name, submission.document().text(), format, etag);
    if (submission.nameError() != null) {
      showValidation(model, submission, registry.validate(submission.document(), "publish"));
      return "editor";
    }
    try {
      // a new GroupBy must not silently overwrite one created meanwhile; an edit must start from what was shown
      Precondition pre = fixed == null ? new Precondition(0, null, false) : fromEtag(etag);
      var r = registry.publish(submission.document(), pre, principal.getName());
      redirect.addFlashAttribute("flash", publishedMessage(r));
      redirect.addFlashAttribute("flashKind", r.publication().status() == PublicationState.Status.PENDING ? "warn" : "ok");
      return "redirect:/ui/groupbys/" + r.summary().name();
    } catch (InvalidDefinitionException e) {
      showValidation(model, submission, e.validation());
      return "editor";
    } catch (VersionConflictException e) {
      model.addAttribute("conflict", fixed == null
          ? "A GroupBy named '" + e.name() + "' already exists. Open it and edit it, or choose another name."
          : e.getMessage());
      return "editor";
    }
  }

  private static String publishedMessage(PublishResult<?, ?> r) {
    String name = r.summary().name();
    String what = switch (r.change()) {
      case CREATED -> "Created " + name + ", version " + r.summary().latestVersion() + ".";
      case NEW_VERSION -> "Published " + name + " version " + r.summary().latestVersion() + " (was " + r.previousVersion() + ").";
      case METADATA_UPDATED -> "Updated " + name + " version " + r.summary().latestVersion()
          + " in place: only team, description, online or streaming settings changed.";
      default -> "Nothing changed: this is exactly version " + r.summary().latestVersion() + ".";
    };
    return what + publicationNote(r.publication());
  }

  private static String publicationNote(PublicationState p) {
    return switch (p.status()) {
      case SENT -> " It is on the registry topic.";
      case PENDING -> " Not on the registry topic yet: Kafka has not taken it, and the outbox will keep re-sending ("
          + p.pendingRecords() + " record(s) waiting).";
      case NOTHING_TO_PUBLISH -> "";
    };
  }

  private void addEditor(Model model, String editing, String name, String document, DocumentFormat format, String etag) {
    model.addAttribute("editing", editing);
    model.addAttribute("name", editing != null ? editing : name);
    model.addAttribute("document", document);
    model.addAttribute("format", format);
    model.addAttribute("etag", etag);
    model.addAttribute("checked", false);
    model.addAttribute("valid", false);
    model.addAttribute("problems", List.of());
  }

  private static void showValidation(Model model, EditorSubmission.Result submission, Validation<?, ?> v) {
    model.addAttribute("checked", true);
    List<LocatedProblem> problems = v.problems();
    // a problem with the name (an invalid one in the document) belongs next to the name field too
    String nameError = submission.nameError() != null ? submission.nameError()
        : problems.stream().filter(p -> p.path().equals("$.name")).map(LocatedProblem::message).findFirst().orElse(null);
    model.addAttribute("nameError", nameError);
    model.addAttribute("problems", problems);
    model.addAttribute("annotated", AnnotatedDocument.of(submission.document().text(), problems));
    model.addAttribute("valid", v.ok() && submission.nameError() == null);
    if (v.compiled() instanceof CompiledGroupBy compiled) {
      model.addAttribute("features", GroupByView.features(compiled));
      model.addAttribute("tileSize", GroupByView.tileSize(compiled));
      model.addAttribute("hops", GroupByView.hops(compiled));
    }
  }

  private void addDetail(Model model, DefinitionSummary s, Integer version, Integer from, Integer to) {
    StoredVersion<GroupBy> v = version == null ? registry.latestVersion(s) : registry.version(s.name(), version);
    CompiledGroupBy compiled = GroupByRegistry.compile(v);
    List<StoredVersion<GroupBy>> versions = registry.versions(s.name());
    model.addAttribute("summary", s);
    model.addAttribute("shown", v);
    model.addAttribute("compiled", compiled);
    model.addAttribute("view", GroupByView.of(s, v, compiled));
    model.addAttribute("definition", v.definition());
    model.addAttribute("yaml", GroupByWriter.toYaml(v.definition()));
    model.addAttribute("versions", versions);
    model.addAttribute("history", registry.history(s.name()));
    model.addAttribute("fetcherUrl", fetcher.base());
    if (!model.containsAttribute("fetchKeys")) {
      Map<String, String> keys = new LinkedHashMap<>();
      compiled.keyNames().forEach(k -> keys.put(k, ""));
      model.addAttribute("fetchKeys", keys);
    }
    Map<String, String> keyTypes = new LinkedHashMap<>();
    for (int i = 0; i < compiled.keyNames().size(); i++) keyTypes.put(compiled.keyNames().get(i), compiled.keyType(i).spec());
    model.addAttribute("keyTypes", keyTypes);
    if (versions.size() >= 2 || from != null || to != null) {
      int t = to == null ? s.latestVersion() : to;
      int f = from == null ? Math.max(1, t - 1) : from;
      DefinitionDiff diff = registry.diff(s.name(), f, t);
      model.addAttribute("diff", diff);
    }
  }

  /** The ETag the page was rendered with ({@code 3.7}): the edit must start from exactly that state. */
  private static Precondition fromEtag(String etag) {
    if (etag == null || etag.isBlank()) return Precondition.NONE;
    String quoted = etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    return PreconditionHeaders.parse(null, quoted, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
