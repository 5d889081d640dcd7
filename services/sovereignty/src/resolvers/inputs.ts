import { Field, ID, InputType, Int } from "type-graphql";
import { MAX_HAND_RECORDED_COUNT } from "../domain/recording.js";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { SovereigntyEventKindEnum } from "./enums.js";

@InputType()
export class RecordSovereigntyEventInput {
  @Field(() => ID) circleId!: string;
  @Field(() => SovereigntyEventKindEnum, { description: "MEAL_SHARED, POLICE_CALL_AVOIDED or SABBATH_NEED_MET; the others come from the services." }) kind!: SovereigntyEventKind;
  @Field(() => Int, { description: `1 to ${MAX_HAND_RECORDED_COUNT}.` }) count!: number;
  @Field(() => String, { nullable: true, description: "The cycle it happened in (its label); default the current one. Up to 3 cycles back." }) cycle?: string | null;
  @Field(() => ID, { nullable: true, description: "A UUID you choose: sending the same record again (a retry) records it once." }) idempotencyKey?: string | null;
}
