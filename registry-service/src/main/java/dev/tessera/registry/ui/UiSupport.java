package dev.tessera.registry.ui;

import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PreconditionHeaders;
import dev.tessera.registry.definition.RetireResult;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.VersionConflictException;
import dev.tessera.registry.publish.PublicationState;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What the admin pages of every kind do alike: retire with a flash message, read an "as of" field and an ETag. */
final class UiSupport {
  private UiSupport() {}

  /** The "as of" field of a try-a-fetch form: null (now), epoch milliseconds, or an error to show. */
  record AsOf(Long atMillis, FetcherClient.Outcome error) {
    static AsOf parse(String text) {
      String at = text == null ? "" : text.trim();
      if (at.isEmpty()) return new AsOf(null, null);
      if (!at.matches("\\d{1,18}")) {
        return new AsOf(null, new FetcherClient.Outcome(false, null, null, "'As of' must be epoch milliseconds, e.g. 1767225600000.", null, 0));
      }
      return new AsOf(Long.parseLong(at), null);
    }
  }

  /** Retires from a detail page: the flash message says what happened; a conflict or a definition still in use is an error message. */
  static String retire(DefinitionRegistry<?, ?> registry, String name, String etag, String actor, RedirectAttributes redirect,
      String page) {
    try {
      RetireResult r = registry.retire(name, fromEtag(etag), actor);
      redirect.addFlashAttribute("flash", r.change() == Change.RETIRED
          ? name + " is retired: a tombstone tells every service to drop it." + publicationNote(r.publication())
          : name + " was already retired.");
      redirect.addFlashAttribute("flashKind", flashKind(r.publication()));
    } catch (VersionConflictException | DefinitionInUseException e) {
      redirect.addFlashAttribute("flash", e.getMessage());
      redirect.addFlashAttribute("flashKind", "error");
    }
    return "redirect:" + page;
  }

  /** How a page shows the outcome of a write: pending is a warning, a refused record an error. */
  static String flashKind(PublicationState p) {
    return switch (p.status()) {
      case PENDING -> "warn";
      case FAILED -> "error";
      case SENT, NOTHING_TO_PUBLISH -> "ok";
    };
  }

  static String publicationNote(PublicationState p) {
    return switch (p.status()) {
      case SENT -> " It is on the registry topic.";
      case PENDING -> " Not on the registry topic yet: Kafka has not taken it, and the outbox will keep re-sending ("
          + p.pendingRecords() + " record(s) waiting).";
      case FAILED -> " Kafka refused its record for good, so no service sees it yet: " + p.message();
      case NOTHING_TO_PUBLISH -> "";
    };
  }

  /** The ETag the page was rendered with ({@code 3.7}): the write must start from exactly that state. */
  static Precondition fromEtag(String etag) {
    if (etag == null || etag.isBlank()) return Precondition.NONE;
    String quoted = etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    return PreconditionHeaders.parse(null, quoted, null);
  }

  /** One field of a try-a-fetch form: a key column or request field, its type (and {@code note}), and what is typed in it. */
  public record FormField(String name, String note, String value, boolean required) {}

  /**
   * What every detail page shows: which kind, the name's summary, the version shown (the latest
   * unless {@code version}), its canonical YAML, every version, the history and, with two versions
   * or when asked for, the diff between {@code from} and {@code to}.
   */
  static <D> StoredVersion<D> addDetail(Model model, DefinitionRegistry<D, ?> registry, DefinitionSummary s, Integer version,
      Integer from, Integer to, Function<D, String> yaml, BiFunction<Integer, Integer, Object> diff) {
    Kind kind = registry.type().kind();
    StoredVersion<D> v = version == null ? registry.latestVersion(s) : registry.version(s.name(), version);
    List<StoredVersion<D>> versions = registry.versions(s.name());
    model.addAttribute("kind", kind.slug());
    model.addAttribute("kindLabel", kind.label());
    model.addAttribute("base", EditorController.base(kind));
    model.addAttribute("summary", s);
    model.addAttribute("shown", v);
    model.addAttribute("definition", v.definition());
    model.addAttribute("yaml", yaml.apply(v.definition()));
    model.addAttribute("versions", versions);
    model.addAttribute("history", registry.history(s.name()));
    if (versions.size() >= 2 || from != null || to != null) model.addAttribute("diff", diff.apply(from, to));
    return v;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
