import type { Kysely } from 'kysely';
import type { SimulatorTables } from './tables.js';
import type { BusinessProfile } from '../provider.js';
import { EMPTY_PROFILE } from './profile.js';

/** A number's whatsapp_business_profile; empty fields until first updated. */
export async function loadProfile(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
): Promise<BusinessProfile> {
  const row = await db
    .selectFrom('sim_business_profiles')
    .selectAll()
    .where('phone_number_id', '=', phoneNumberId)
    .executeTakeFirst();
  if (row === undefined) return { ...EMPTY_PROFILE, websites: [] };
  return {
    about: row.about,
    address: row.address,
    description: row.description,
    email: row.email,
    profilePictureUrl: row.profile_picture_url,
    vertical: row.vertical,
    websites: JSON.parse(row.websites) as string[],
  };
}

export async function saveProfile(
  db: Kysely<SimulatorTables>,
  phoneNumberId: string,
  profile: BusinessProfile,
): Promise<void> {
  const values = {
    about: profile.about,
    address: profile.address,
    description: profile.description,
    email: profile.email,
    profile_picture_url: profile.profilePictureUrl,
    vertical: profile.vertical,
    websites: JSON.stringify(profile.websites),
  };
  await db
    .insertInto('sim_business_profiles')
    .values({ phone_number_id: phoneNumberId, ...values })
    .onConflict((oc) => oc.column('phone_number_id').doUpdateSet(values))
    .execute();
}
