import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A major category (专业大类) of the national catalogue. */
@Entity({ name: 'major_category' })
export class MajorCategory {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;
}

/** A major of the national catalogue of secondary vocational majors. */
@Entity({ name: 'major' })
export class Major {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  /** SC-10 / SB-5: agriculture-related majors. */
  @Column({ name: 'agriculture_related', type: 'boolean' })
  agricultureRelated: boolean;

  /** SB-6: excluded from the tuition waiver (e.g. performing arts). */
  @Column({ name: 'waiver_excluded', type: 'boolean' })
  waiverExcluded: boolean;

  @Column({ name: 'standard_years', type: 'integer' })
  standardYears: number;
}
