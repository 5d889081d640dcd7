import {
  defaultFieldResolver,
  getNamedType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from "graphql";
import { Directive } from "type-graphql";
import type { Caller } from "../auth/auth.js";
import { forbidden, unauthenticated } from "../runtime/errors.js";

/**
 * Who may read a field: every field of the supergraph has one of these, declared where the field is
 * defined (`@Disclose("members")` on the field, or on its class for every field without its own) and
 * enforced here, once, for every subgraph. PRIVACY.md at the repository's root explains each class
 * and the threat it answers.
 *
 * - `public`: anyone, anonymous callers and API keys included: published figures (closed cycles'
 *   snapshots under the privacy rule), a circle's name, public boards.
 * - `viewer`: an answer about whoever asks and nobody else (`mySeat`, `raisedByMe`, the token a login
 *   returns): each reader learns only about themself.
 * - `members`: members of the circle the object belongs to.
 * - `stewards`: the circle's stewards and organizers, and the member the object is about.
 * - `handlers`: the people granted the case (its handlers), and the member the object is about.
 * - `self`: only the member the object is about.
 * - `operator`: only the hub's operator (operator key).
 *
 * A page (`PageOf`) is `public`: it discloses nothing of its own, and each of its items is checked
 * against what the item is about, or what the page was read through.
 */
export const audiences = ["public", "viewer", "members", "stewards", "handlers", "self", "operator"] as const;
export type Audience = (typeof audiences)[number];

export const DISCLOSURE_SPEC_URL = "https://rhizome.coop/spec/disclosure/v1.0";
export const DISCLOSURE_DIRECTIVE_DEFINITION = "directive @disclosure(to: String!) on FIELD_DEFINITION";

/** Declares who may read a field (on a property or field resolver) or every field of a type (on the class). */
export function Disclose(audience: Audience): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Directive(`@disclosure(to: "${audience}")`);
}

/**
 * What an object is about, for the disclosure check: the circle it belongs to, the member it is
 * about, and who handles it. Read from the object's own `circleId`/`circle.id`, `memberId`/`member.id`
 * and `handlerMemberIds`, else from `discloseAs`, else inherited from the object it was read through.
 */
export interface DisclosureSubject {
  circleId?: string;
  memberId?: string;
  handlerMemberIds?: readonly string[];
  /** The object was read through a field about the caller themself (a `my...` field or a mutation's answer). */
  isAboutCaller?: boolean;
  /**
   * The object was read through a `viewer` field: an answer made for the one asking alone (the member
   * a login or a founding returns, a mutation's receipt), so it is theirs to read whole.
   */
  isForViewer?: boolean;
}

const declaredSubjects = new WeakMap<object, DisclosureSubject>();
/** What objects inherited, kept per request: an object shared between requests inherits nothing across them. */
const inheritedInRequest = Symbol("inherited disclosure subjects");
type Inherited = WeakMap<object, DisclosureSubject>;

/** Names what an object is about when its own properties do not say; returns the object. */
export function discloseAs<T extends object>(value: T, subject: DisclosureSubject): T {
  declaredSubjects.set(value, subject);
  return value;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function idOf(value: unknown): string | undefined {
  return value && typeof value === "object" ? stringOf((value as { id?: unknown }).id) : undefined;
}

/** The subject of an object of the named type, from its own properties first, then what it inherited. */
export function subjectOf(typeName: string, value: unknown, inheritedSubjects?: Inherited): DisclosureSubject {
  if (!value || typeof value !== "object") return {};
  const row = value as Record<string, unknown>;
  const declared = declaredSubjects.get(row) ?? {};
  const inherited = inheritedSubjects?.get(row) ?? {};
  const handlers = row.handlerMemberIds;
  return {
    circleId:
      declared.circleId ??
      stringOf(row.circleId) ??
      idOf(row.circle) ??
      (typeName === "Circle" ? stringOf(row.id) : undefined) ??
      inherited.circleId,
    memberId:
      declared.memberId ??
      stringOf(row.memberId) ??
      idOf(row.member) ??
      (typeName === "Member" ? stringOf(row.id) : undefined) ??
      inherited.memberId,
    handlerMemberIds:
      declared.handlerMemberIds ??
      (Array.isArray(handlers) ? (handlers as string[]) : undefined) ??
      inherited.handlerMemberIds,
    isAboutCaller: declared.isAboutCaller ?? inherited.isAboutCaller,
    isForViewer: inherited.isForViewer,
  };
}

/** The one rule: may this caller read a field of this audience on an object with this subject? */
export function mayDisclose(audience: Audience, caller: Caller, subject: DisclosureSubject): boolean {
  if (audience === "public" || audience === "viewer") return true;
  if (audience === "operator") return caller.kind === "operator";
  if (subject.isForViewer === true) return true;
  if (caller.kind !== "person") return false;
  const isSubject =
    subject.memberId !== undefined
      ? caller.memberships.some((m) => m.memberId === subject.memberId)
      : subject.isAboutCaller === true;
  if (audience === "self") return isSubject;
  if (isSubject) return true;
  if (audience === "handlers") {
    return subject.handlerMemberIds?.some((handler) => caller.memberships.some((m) => m.memberId === handler)) ?? false;
  }
  const membership = subject.circleId ? caller.memberships.find((m) => m.circleId === subject.circleId) : undefined;
  if (!membership) return false;
  if (audience === "members") return true;
  return membership.roles.includes("steward") || membership.roles.includes("organizer");
}

/** At the root there is no object yet: a non-public field needs a person (or the operator). */
export function mayCallRoot(audience: Audience, caller: Caller): boolean {
  if (audience === "public" || audience === "viewer") return true;
  if (audience === "operator") return caller.kind === "operator";
  return caller.kind === "person" || caller.kind === "operator";
}

const audienceNames: Record<Audience, string> = {
  public: "everyone",
  viewer: "the one asking",
  members: "the circle's members",
  stewards: "the circle's stewards and the member it is about",
  handlers: "the people handling the case and the member it is about",
  self: "the member it is about",
  operator: "the hub's operator",
};

function audienceOfNode(directives: readonly ConstDirectiveNode[] | undefined): Audience | undefined {
  const directive = directives?.find((d) => d.name.value === "disclosure");
  const argument = directive?.arguments?.find((a) => a.name.value === "to");
  if (!argument || argument.value.kind !== Kind.STRING) return undefined;
  const value = argument.value.value;
  if (!(audiences as readonly string[]).includes(value))
    throw new Error(`Unknown disclosure class "${value}": use one of ${audiences.join(", ")}.`);
  return value as Audience;
}

const withoutDisclosure = (directives: readonly ConstDirectiveNode[] | undefined) =>
  directives?.filter((d) => d.name.value !== "disclosure");

/**
 * Gives every field of every object type its own @disclosure: a type's class goes to each of its
 * fields that has none. A field with neither fails the build, naming it.
 */
export function spreadDisclosureClasses(sdl: string): string {
  const missing: string[] = [];
  const spread = <T extends ObjectTypeDefinitionNode | ObjectTypeExtensionNode>(node: T): T => {
    const typeAudience = audienceOfNode(node.directives);
    const fields = node.fields?.map((field): FieldDefinitionNode => {
      if (audienceOfNode(field.directives)) return field;
      if (!typeAudience) {
        missing.push(`${node.name.value}.${field.name.value}`);
        return field;
      }
      const directive: ConstDirectiveNode = {
        kind: Kind.DIRECTIVE,
        name: { kind: Kind.NAME, value: "disclosure" },
        arguments: [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: "to" },
            value: { kind: Kind.STRING, value: typeAudience },
          },
        ],
      };
      return { ...field, directives: [...(field.directives ?? []), directive] };
    });
    return { ...node, directives: withoutDisclosure(node.directives), fields };
  };
  const document: DocumentNode = visit(parse(sdl), {
    ObjectTypeDefinition: (node) => spread(node),
    ObjectTypeExtension: (node) => spread(node),
  });
  if (missing.length > 0) {
    throw new Error(
      `Every field needs a disclosure class (@Disclose on the field or its class); these have none: ${missing.join(", ")}.`,
    );
  }
  return print(document);
}

interface ContextWithCaller {
  caller?: Caller;
  [inheritedInRequest]?: Inherited;
}

function inheritedOf(context: ContextWithCaller): Inherited {
  return (context[inheritedInRequest] ??= new WeakMap());
}

const anonymousCaller: Caller = { kind: "anonymous" };
const rootTypeNames = new Set(["Query", "Mutation", "Subscription"]);
/** Federation's own entry points: `_entities` answers objects whose fields are checked one by one. */
const federationRootFields = new Set(["_entities", "_service"]);

function inherit(inherited: Inherited, value: unknown, subject: DisclosureSubject): void {
  if (Array.isArray(value)) {
    for (const item of value) inherit(inherited, item, subject);
  } else if (value && typeof value === "object" && !inherited.has(value)) {
    inherited.set(value, subject);
  }
}

function inheriting(context: ContextWithCaller, answer: unknown, subject: DisclosureSubject): unknown {
  const inherited = inheritedOf(context);
  if (answer instanceof Promise) return answer.then((value: unknown) => (inherit(inherited, value, subject), value));
  inherit(inherited, answer, subject);
  return answer;
}

function rootSubject(args: Record<string, unknown>, isAboutCaller: boolean): DisclosureSubject {
  const input = args.input && typeof args.input === "object" ? (args.input as Record<string, unknown>) : {};
  return { circleId: stringOf(args.circleId) ?? stringOf(input.circleId), isAboutCaller };
}

function refused(caller: Caller, typeName: string, fieldName: string, audience: Audience): Error {
  if (caller.kind === "anonymous" || caller.kind === "apiKey")
    return unauthenticated(`Log in to read ${typeName}.${fieldName}: it is shown only to ${audienceNames[audience]}.`);
  return forbidden(`${typeName}.${fieldName} is shown only to ${audienceNames[audience]}.`);
}

/**
 * Inside a circle the caller belongs to, a nullable field about another member or another's case is
 * simply null (another responder's contact in a list of responders); a field that needs a role the
 * caller lacks, a read of another circle, or a field where null cannot stand is refused.
 */
function readsAsNull(audience: Audience, caller: Caller, subject: DisclosureSubject, isNullable: boolean): boolean {
  if (!isNullable || caller.kind !== "person" || (audience !== "self" && audience !== "handlers")) return false;
  return subject.circleId === undefined || caller.memberships.some((m) => m.circleId === subject.circleId);
}

/**
 * Wraps every field that is not public so the caller is checked against the field's class before it
 * resolves. A refused nullable field reads as null, a refused non-null one is FORBIDDEN. What a field
 * answers inherits the subject of the object it was read through, so a page or a tally belongs to the
 * same circle and member as the object it came from.
 */
export function enforceDisclosure(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("_")) continue;
    const isRoot = rootTypeNames.has(type.name);
    for (const field of Object.values(type.getFields())) {
      if (isRoot && federationRootFields.has(field.name)) continue;
      const audience = audienceOfNode(field.astNode?.directives);
      if (!audience) throw new Error(`${type.name}.${field.name} has no disclosure class.`);
      const resolve: GraphQLFieldResolver<unknown, ContextWithCaller> = field.resolve ?? defaultFieldResolver;
      const answersObjects = isObjectType(getNamedType(field.type));
      const isNullable = !isNonNullType(field.type);
      if (isRoot) {
        if ((audience === "public" || audience === "viewer") && !answersObjects) continue;
        const isAboutCaller = type.name === "Mutation" || audience === "self";
        field.resolve = (source, args, context, info) => {
          const caller = context.caller ?? anonymousCaller;
          if (!mayCallRoot(audience, caller)) throw refused(caller, type.name, field.name, audience);
          const answer = resolve(source, args, context, info);
          if (!answersObjects) return answer;
          return inheriting(context, answer, rootSubject(args, isAboutCaller));
        };
        continue;
      }
      const isOpen = audience === "public" || audience === "viewer";
      if (isOpen && !answersObjects) continue;
      field.resolve = (source, args, context, info) => {
        const subject = subjectOf(type.name, source, inheritedOf(context));
        const caller = context.caller ?? anonymousCaller;
        if (!isOpen && !mayDisclose(audience, caller, subject)) {
          if (readsAsNull(audience, caller, subject, isNullable)) return null;
          throw refused(caller, type.name, field.name, audience);
        }
        const answer = resolve(source, args, context, info);
        if (!answersObjects) return answer;
        return inheriting(context, answer, audience === "viewer" ? { ...subject, isForViewer: true } : subject);
      };
    }
  }
  return schema;
}
