package dev.tessera.registry.ui;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.DefinitionTooLargeException;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PublishResult;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.Validation;
import dev.tessera.registry.definition.VersionConflictException;
import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.groupby.GroupByView;
import dev.tessera.registry.join.JoinRegistry;
import dev.tessera.registry.join.JoinView;
import java.security.Principal;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The definition editor of the admin UI, for GroupBys and Joins alike: a name field and a YAML or
 * JSON document; Check validates it (writing nothing) and says what publishing would do, Publish
 * publishes it. A new document is checked as what it is: one with {@code parts} or {@code left}
 * is a Join, one with {@code keys}, {@code sources} or {@code aggregations} a GroupBy, whichever
 * "New" page it was written on.
 */
@Controller
public class EditorController {
  static final String GROUPBY_STARTER = """
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

  static final String JOIN_STARTER = """
      # A Join: a model's feature vector, from GroupBys, request fields and derivations (see DESIGN-joins.md).
      team: my_team
      description: what this feature vector is for
      online: true
      left:                       # the rows that get features (offline), typed like an online request
        table: checkouts
        timeColumn: ts
        schema: {user_id: STRING, amount_now: DOUBLE, ts: LONG}
      parts:
        - groupBy: my_groupby       # a registered GroupBy; version: N pins one
          keyMapping: {user_id: user_id}
          prefix: user
      request: [amount_now]
      derivations:
        - {name: amount_vs_sum, expression: "amount_now / user_amount_sum_7d"}
      """;

  private final GroupByRegistry groupBys;
  private final JoinRegistry joins;

  public EditorController(GroupByRegistry groupBys, JoinRegistry joins) {
    this.groupBys = groupBys;
    this.joins = joins;
  }

  @GetMapping("/ui/groupbys/new")
  String newGroupBy(Model model) {
    addEditor(model, Kind.GROUPBY, null, "", GROUPBY_STARTER, DocumentFormat.YAML, null);
    return "editor";
  }

  @GetMapping("/ui/joins/new")
  String newJoin(Model model) {
    addEditor(model, Kind.JOIN, null, "", JOIN_STARTER, DocumentFormat.YAML, null);
    return "editor";
  }

  @GetMapping("/ui/groupbys/{name}/edit")
  String editGroupBy(@PathVariable String name, Model model) {
    return edit(Kind.GROUPBY, name, model);
  }

  @GetMapping("/ui/joins/{name}/edit")
  String editJoin(@PathVariable String name, Model model) {
    return edit(Kind.JOIN, name, model);
  }

  private String edit(Kind kind, String name, Model model) {
    DefinitionRegistry<?, ?> registry = registry(kind);
    DefinitionSummary s = registry.summary(name);
    StoredVersion<?> v = registry.latestVersion(s);
    addEditor(model, kind, name, name, v.document(), v.documentFormat(), s.etag());
    return "editor";
  }

  @PostMapping("/ui/groupbys/validate")
  String checkGroupBy(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Model model) {
    return check(Kind.GROUPBY, editing, name, document, format, etag, model);
  }

  @PostMapping("/ui/joins/validate")
  String checkJoin(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Model model) {
    return check(Kind.JOIN, editing, name, document, format, etag, model);
  }

  @PostMapping("/ui/groupbys/publish")
  String publishGroupBy(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Principal principal, Model model, RedirectAttributes redirect) {
    return publish(Kind.GROUPBY, editing, name, document, format, etag, principal, model, redirect);
  }

  @PostMapping("/ui/joins/publish")
  String publishJoin(@RequestParam(required = false) String editing, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String document, @RequestParam(defaultValue = "YAML") DocumentFormat format,
      @RequestParam(required = false) String etag, Principal principal, Model model, RedirectAttributes redirect) {
    return publish(Kind.JOIN, editing, name, document, format, etag, principal, model, redirect);
  }

  /** "Check": validate and show what publishing would do, writing nothing. */
  private String check(Kind page, String editing, String name, String document, DocumentFormat format, String etag, Model model) {
    String fixed = UiSupport.blankToNull(editing);
    Kind kind = kindOf(page, fixed, document);
    EditorSubmission.Result submission = EditorSubmission.of(name, document, format, fixed, kind);
    Validation<?, ?> v = registry(kind).validate(submission.document(), "validate");
    addEditor(model, kind, fixed, name, submission.document().text(), format, etag);
    detected(model, page, kind);
    showValidation(model, submission, v);
    if (v.ok() && submission.nameError() == null) model.addAttribute("plan", plan(kind, v));
    return "editor";
  }

  private String publish(Kind page, String editing, String name, String document, DocumentFormat format, String etag,
      Principal principal, Model model, RedirectAttributes redirect) {
    String fixed = UiSupport.blankToNull(editing);
    Kind kind = kindOf(page, fixed, document);
    EditorSubmission.Result submission = EditorSubmission.of(name, document, format, fixed, kind);
    addEditor(model, kind, fixed, name, submission.document().text(), format, etag);
    detected(model, page, kind);
    if (submission.nameError() != null) {
      showValidation(model, submission, registry(kind).validate(submission.document(), "publish"));
      return "editor";
    }
    try {
      // a new definition must not silently overwrite one created meanwhile; an edit must start from what was shown
      Precondition pre = fixed == null ? new Precondition(0, null, false) : UiSupport.fromEtag(etag);
      PublishResult<?, ?> r = registry(kind).publish(submission.document(), pre, principal.getName());
      redirect.addFlashAttribute("flash", publishedMessage(kind, r));
      redirect.addFlashAttribute("flashKind", UiSupport.flashKind(r.publication()));
      return "redirect:" + base(kind) + "/" + r.summary().name();
    } catch (InvalidDefinitionException e) {
      showValidation(model, submission, e.validation());
      return "editor";
    } catch (DefinitionInUseException | DefinitionTooLargeException e) {
      model.addAttribute("conflict", e.getMessage());
      return "editor";
    } catch (VersionConflictException e) {
      model.addAttribute("conflict", fixed == null
          ? "A " + kind.label() + " named '" + e.name() + "' already exists. Open it and edit it, or choose another name."
          : e.getMessage());
      return "editor";
    }
  }

  /** The page's kind, unless a new document is plainly of the other kind. */
  static Kind kindOf(Kind page, String editing, String document) {
    if (editing != null) return page;
    return EditorSubmission.kindOf(document).orElse(page);
  }

  private static void detected(Model model, Kind page, Kind kind) {
    if (page != kind) model.addAttribute("detected", kind.label());
  }

  @SuppressWarnings("unchecked")
  private <D, C> dev.tessera.registry.definition.Plan plan(Kind kind, Validation<D, C> v) {
    return ((DefinitionRegistry<D, C>) registry(kind)).plan(v);
  }

  private DefinitionRegistry<?, ?> registry(Kind kind) {
    return kind == Kind.JOIN ? joins : groupBys;
  }

  static String base(Kind kind) {
    return "/ui/" + kind.slug() + "s";
  }

  private static String publishedMessage(Kind kind, PublishResult<?, ?> r) {
    String name = r.summary().name();
    String what = switch (r.change()) {
      case CREATED -> "Created " + name + ", version " + r.summary().latestVersion() + ".";
      case NEW_VERSION -> "Published " + name + " version " + r.summary().latestVersion() + " (was " + r.previousVersion() + ").";
      case METADATA_UPDATED -> "Updated " + name + " version " + r.summary().latestVersion() + " in place: only "
          + (kind == Kind.JOIN ? "team, description or online" : "team, description, online or streaming settings") + " changed.";
      default -> "Nothing changed: this is exactly version " + r.summary().latestVersion() + ".";
    };
    return what + UiSupport.publicationNote(r.publication());
  }

  private void addEditor(Model model, Kind kind, String editing, String name, String document, DocumentFormat format, String etag) {
    model.addAttribute("kind", kind.slug());
    model.addAttribute("kindLabel", kind.label());
    model.addAttribute("base", base(kind));
    model.addAttribute("editing", editing);
    model.addAttribute("name", editing != null ? editing : name);
    model.addAttribute("document", document);
    model.addAttribute("format", format);
    model.addAttribute("etag", etag);
    model.addAttribute("checked", false);
    model.addAttribute("valid", false);
    model.addAttribute("problems", List.of());
  }

  private void showValidation(Model model, EditorSubmission.Result submission, Validation<?, ?> v) {
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
    } else if (v.compiled() instanceof CompiledJoin compiled) {
      model.addAttribute("joinParts", JoinView.parts(compiled.definition(), compiled, joins.groupBysNow(), List.of()));
      model.addAttribute("columns", JoinView.columns(compiled));
      model.addAttribute("keyColumns", JoinView.keyColumns(compiled.definition(), compiled));
    }
  }
}
