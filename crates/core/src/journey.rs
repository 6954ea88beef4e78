//! The journey map: the inventory laid out as a grid of journey phases (columns, in journey
//! order) by channels (rows), each touchpoint a card in its cell.

use serde::Serialize;

use crate::catalog::{Catalog, Channel, Phase};
use crate::touchpoint::Touchpoint;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JourneyMap {
    /// Column heads, in journey order.
    pub phases: Vec<Phase>,
    pub rows: Vec<JourneyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JourneyRow {
    pub channel: Channel,
    /// One cell per phase, in the order of [`JourneyMap::phases`].
    pub cells: Vec<Vec<Touchpoint>>,
}

impl JourneyMap {
    /// Lays out `touchpoints`. Rows are the channels in catalog order; channels without a
    /// touchpoint are left out unless `keep_empty_rows`. Within a cell, the most important
    /// touchpoints come first, then by name.
    pub fn build(catalog: &Catalog, touchpoints: &[Touchpoint], keep_empty_rows: bool) -> Self {
        let phases: Vec<Phase> = catalog.phases_in_order().into_iter().cloned().collect();
        let mut rows: Vec<JourneyRow> = catalog
            .channels_in_order()
            .into_iter()
            .map(|channel| JourneyRow {
                channel: channel.clone(),
                cells: vec![Vec::new(); phases.len()],
            })
            .collect();
        for t in touchpoints {
            let row = rows.iter().position(|r| r.channel.key == t.fields.channel);
            let column = phases.iter().position(|p| p.key == t.fields.phase);
            if let (Some(row), Some(column)) = (row, column) {
                rows[row].cells[column].push(t.clone());
            }
        }
        for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
            cell.sort_by(|a, b| {
                b.fields
                    .importance
                    .overall()
                    .total_cmp(&a.fields.importance.overall())
                    .then_with(|| a.fields.name.cmp(&b.fields.name))
            });
        }
        if !keep_empty_rows {
            rows.retain(|r| r.cells.iter().any(|c| !c.is_empty()));
        }
        JourneyMap { phases, rows }
    }

    /// Number of touchpoints on the map.
    pub fn len(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .map(Vec::len)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{default_channels, default_phases};
    use crate::touchpoint::TouchpointInput;

    fn touchpoint(id: i64, name: &str, channel: &str, phase: &str, experience: i64) -> Touchpoint {
        let catalog = Catalog {
            channels: default_channels(),
            phases: default_phases(),
        };
        let mut input = TouchpointInput {
            name: name.into(),
            channel: channel.into(),
            phase: phase.into(),
            ..TouchpointInput::default()
        };
        input.importance.experience = experience;
        Touchpoint {
            id,
            fields: input.validate(&catalog).expect("valid"),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn cards_land_in_their_cell_most_important_first() {
        let catalog = Catalog {
            channels: default_channels(),
            phases: default_phases(),
        };
        let tps = [
            touchpoint(1, "Rückruf", "phone", "after-purchase", 2),
            touchpoint(2, "Hotline", "phone", "after-purchase", 5),
            touchpoint(3, "Schaufenster", "store", "before-purchase", 3),
        ];
        let map = JourneyMap::build(&catalog, &tps, false);
        assert_eq!(map.len(), 3);
        let keys: Vec<&str> = map.rows.iter().map(|r| r.channel.key.as_str()).collect();
        assert_eq!(keys, ["store", "phone"]);
        let phone_after: Vec<&str> = map.rows[1].cells[2]
            .iter()
            .map(|t| t.fields.name.as_str())
            .collect();
        assert_eq!(phone_after, ["Hotline", "Rückruf"]);
        assert_eq!(map.rows[0].cells[0][0].id, 3);

        let full = JourneyMap::build(&catalog, &tps, true);
        assert_eq!(full.rows.len(), catalog.channels.len());
        assert_eq!(full.len(), 3);
    }

    proptest::proptest! {
        /// Every touchpoint filed under a known channel and phase appears exactly once, in
        /// the row of its channel and the column of its phase.
        #[test]
        fn every_touchpoint_lands_once_in_its_cell(
            placements in proptest::collection::vec((0usize..13, 0usize..3, 1i64..=5), 0..60)
        ) {
            let catalog = Catalog { channels: default_channels(), phases: default_phases() };
            let tps: Vec<Touchpoint> = placements
                .iter()
                .enumerate()
                .map(|(i, &(c, p, e))| {
                    let id = i64::try_from(i).expect("small");
                    touchpoint(
                        id,
                        &format!("T{i}"),
                        &catalog.channels[c].key,
                        &catalog.phases[p].key,
                        e,
                    )
                })
                .collect();
            let map = JourneyMap::build(&catalog, &tps, false);
            proptest::prop_assert_eq!(map.len(), tps.len());
            for t in &tps {
                let mut found = 0;
                for row in &map.rows {
                    for (column, cell) in row.cells.iter().enumerate() {
                        for card in cell.iter().filter(|card| card.id == t.id) {
                            found += 1;
                            proptest::prop_assert_eq!(&row.channel.key, &card.fields.channel);
                            proptest::prop_assert_eq!(&map.phases[column].key, &card.fields.phase);
                        }
                    }
                }
                proptest::prop_assert_eq!(found, 1);
            }
        }
    }
}
